package tokens

import "syscall"

// wallNanos returns the wall clock (CLOCK_REALTIME) in nanoseconds since
// the Unix epoch, at microsecond resolution. It is the clock of the cached
// read in Manager.Token: on linux/amd64 syscall.Gettimeofday is a single
// vDSO call, where time.Now reads two clocks (wall and monotonic) and so
// costs twice as much. Safe for concurrent use.
func wallNanos() int64 {
	var tv syscall.Timeval
	if syscall.Gettimeofday(&tv) != nil {
		return timeNowNanos()
	}
	return tv.Nano()
}
