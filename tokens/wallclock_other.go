//go:build !(linux && amd64)

package tokens

// wallNanos returns the wall clock in nanoseconds since the Unix epoch.
// Elsewhere than linux/amd64, time.Now is the cheapest portable wall
// clock. Safe for concurrent use.
func wallNanos() int64 { return timeNowNanos() }
