// Package keyring is Tokentray's OS adapter for storage: a tokens.Store
// over the operating system's keyring through github.com/zalando/go-keyring
// (the Secret Service over D-Bus on Linux, the Keychain on macOS, the
// Credential Manager on Windows).
//
// Profiles and tokens are stored as versioned JSON records (tokens.EncodeProfile)
// split into chunks small enough for every backend and checked on read, so
// a torn or altered item is reported for its profile without taking the
// others down. Writes are serialised across processes by an advisory file
// lock per keyring service; fetches of one profile by a lock file per
// profile, which makes the store a tokens.FetchLocker. Those lock files
// live under RuntimePath, never in a shared temporary directory, and never
// hold secrets.
package keyring
