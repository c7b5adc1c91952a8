// Package tokens is Tokentray's domain and engine: client profiles, tokens
// and their expiry, the errors every side reports, the Store interface, and
// the Manager that caches tokens and refreshes them in the background.
//
// The packages beside it:
//
//   - tokens/oauth: the OAuth 2.0 grants over HTTP: client credentials
//     (RFC 6749 §4.4), the refresh of a signed-in profile (§6), the
//     browser sign-in (authorization code with PKCE and a loopback
//     redirect, authcode.go) and the device grant (RFC 8628, device.go);
//     the token request, client authentication,
//     discovery, response parsing, redaction; verification of JWT access
//     tokens, introspection (RFC 7662) and revocation (RFC 7009).
//     oauth.Client is a Fetcher and an Inspector.
//   - tokens/keyring: the Store over the OS keyring (go-keyring, D-Bus),
//     its records (one item, or chunked where the platform needs it), the
//     batched Secret Service reads, the file locks that serialise writes
//     and fetches across processes (it is a FetchLocker and a
//     CachedReader), and the change stamp that tells the running app the
//     keyring changed behind it.
//   - tokens/storetest: the Store contract suite both stores run;
//     tokens/testenv: what a test needs of its environment (the
//     .ci/session desktop, Linux-only behaviour).
//   - tokens/importers, tokens/demo: profile import formats, and the
//     embedded token server of demo mode.
//
// They import tokens, never the reverse: this package imports neither a UI
// toolkit, nor the OS keyring, nor net/http, which `make check` verifies.
//
// Who owns what:
//
//   - The Store (the OS keyring, or memory in demo mode) holds the truth:
//     every profile and its cached token. Other processes (the command
//     line, a second app) change it too. The command line reads a profile
//     with its token in one go (ReadCached, ReadAllCached: cachedread.go).
//   - The Manager is the engine. It holds a working copy of the profiles and
//     their current tokens, fetches, refreshes in the background and
//     publishes immutable Snapshots. It writes profiles only through the
//     Store first and then updates its own set: SaveProfile, DeleteProfile,
//     LoadProfiles (reloads). The window, the command line and reloads all
//     use this one path.
//   - A cached token belongs to the request it was fetched with
//     (Token.RequestFingerprint), not to a profile name: readers drop a token
//     whose request differs from the profile's.
//   - A signed-in profile (Grant.SignsIn) also has a refresh token, a
//     secret kept in its own item (RefreshStore) and bound to the sign-in
//     (Profile.SessionFingerprint), not to the client's credentials. Its
//     fetch is a refresh (refreshflow.go); when the refresh token is gone
//     or refused the profile needs a sign-in (ErrSignInNeeded), which only
//     a person starts (KeepSignIn, Manager.SignedIn). SignInNeededError
//     says why: no one signed in (never, or signed out: StatusNotSignedIn)
//     or the session ended (StatusSignInNeeded). When the server says how
//     long the sign-in lasts, ProfileState.SessionEnds carries it.
//   - One fetch per profile at a time, across processes: the Manager and
//     SharedToken (the command line's entry point) fetch under the Store's
//     per-profile fetch lock and write the token before releasing it.
//
// Words with one meaning each in the engine:
//
//   - Loading is reading the profile set from the Store (Store.Load,
//     Manager.LoadProfiles).
//   - Seeding is reading the cached token of a profile new to the Manager
//     from the TokenCache, in the background (cachesync.go).
//   - A flight is one fetch of one profile, shared by everyone waiting for
//     its result (flight.go); the schedule says when each profile that
//     wants a token is next fetched on its own, and runs those flights on
//     a bounded number of workers (scheduler.go).
//   - A profile wants a token (auto-refresh is on) after a Token or
//     Refresh call, a seeded token, a SaveProfile with auto-refresh on, or
//     StartAutoRefresh, which the tray calls after each load.
//
// The engine reaches the network only through the Fetcher interface
// (oauth.Client is the HTTP implementation) and storage only through Store,
// TokenCache and FetchLocker (the keyring store, and the memory store of
// demo mode and tests), so each side can be replaced or tested alone.
//
// The package never imports a UI toolkit: the tray, the command line and the
// tests all use it the same way. User-facing wording is produced by the
// callers; this package reports facts (typed errors, states, times).
package tokens
