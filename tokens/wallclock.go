package tokens

import "time"

// timeNowNanos is time.Now as nanoseconds since the Unix epoch: the wall
// clock through the standard library, which wallNanos falls back to.
func timeNowNanos() int64 { return time.Now().UnixNano() }
