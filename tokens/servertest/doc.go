// Package servertest holds the tests that run Tokentray against OAuth
// server libraries it did not write (Ory Fosite), in a module of its own
// so that the app's go.mod lists only what the app needs. Run it from
// this folder: `go test ./...` (the end-to-end cases need .ci/session).
package servertest
