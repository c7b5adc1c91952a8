// Package servertest runs Tokentray's OAuth client, engine and sign-in
// against OAuth 2.0 server libraries it did not write
// (github.com/go-oauth2/oauth2, github.com/ory/fosite, and zitadel/oidc's
// example OpenID Provider for the device grant), served over loopback. It
// is a module of its own so that those servers and everything they bring
// in (OpenTelemetry, gRPC, buntdb, …) stay out of the app's go.mod: the
// app's module never requires them. `make test` runs it; by hand:
// `cd tokens/servertest && ../../.ci/session go test -race ./...` (the
// end-to-end cases need the private session).
package servertest
