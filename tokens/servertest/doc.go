// Package servertest runs Tokentray's OAuth client and engine against OAuth
// 2.0 server libraries it did not write (github.com/go-oauth2/oauth2 and
// github.com/ory/fosite), served over loopback. It is a module of its own
// so that those servers and everything they bring in (OpenTelemetry, gRPC,
// buntdb, …) stay out of the app's go.mod: the app's module never requires
// them. `make test` runs it; by hand:
// `cd tokens/servertest && go test -race ./...`.
package servertest
