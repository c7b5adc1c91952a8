// Package oauth is Tokentray's HTTP side of the OAuth 2.0 client
// credentials grant (RFC 6749 §4.4): it builds the token request,
// authenticates the client (client_secret_basic, client_secret_post,
// private_key_jwt, client_secret_jwt, mTLS), discovers the token endpoint
// from issuer metadata (RFC 8414, OpenID Connect Discovery), parses and
// validates the answer, and redacts every secret it sent from whatever the
// server says back. It also checks tokens with their issuer: verifies JWT
// access tokens against the issuer's JWKS (verify.go, jwks.go), and
// introspects (RFC 7662) and revokes (RFC 7009) them with the same client
// authentication (introspect.go). Every endpoint read from metadata passes
// checkDiscoveredURL (metadata.go).
//
// Where a secret may go: plain http only to loopback, never through a
// proxy and only to a dialed loopback address (loopback.go); discovered
// endpoints and discovery's redirects only on the issuer's origin or one
// the profile allows (origin.go: SameOrigin, CheckEndpointOrigin).
//
// Client implements the engine's tokens.Fetcher and tokens.Inspector. The
// package imports
// tokens (the domain: Profile, Token, ServerError…), never the reverse,
// and never a UI toolkit or the OS keyring.
package oauth
