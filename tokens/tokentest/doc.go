// Package tokentest holds the fixtures the tests of every package share: a
// configurable loopback token endpoint (Endpoint), a Fetcher that counts its
// requests (CountingFetcher) and profile builders (Profile).
//
// Only _test.go files and test-only helpers import it; it never imports Fyne.
// Tests inside package tokens itself cannot import it (that would be an
// import cycle) and keep their own engine fixtures.
package tokentest
