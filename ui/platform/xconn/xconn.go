//go:build linux || freebsd || openbsd || netbsd

// Package xconn opens connections to the X display for the parts of the
// app that speak X11 themselves (the picker's hotkey grab, the secret
// clipboard), through jezek/xgb, with its logging silenced: it logs a
// missing ~/.Xauthority, which is normal (under Xvfb, for one).
package xconn

import (
	"io"
	"log"
	"sync"

	"github.com/jezek/xgb"
)

var quiet sync.Once

// Open connects to $DISPLAY. Each call opens a connection of its own; it
// is safe for concurrent use.
func Open() (*xgb.Conn, error) {
	quiet.Do(func() { xgb.Logger = log.New(io.Discard, "", 0) })
	return xgb.NewConn()
}
