// Package e2e holds the end-to-end tests of the tokentray binary: the
// command line and the tray app run as a user runs them, against the real
// Secret Service, the X display and loopback servers (including the
// hostile-server suite). It has no code of its own; TestMain builds the
// binaries once for every test. Run it in the private session:
// `.ci/session go test ./ui/e2e` (`make test` does).
package e2e
