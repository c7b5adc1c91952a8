//go:build !linux

package instance

import (
	"errors"
	"net"
)

// errNoPeerCred: the system cannot tell a socket peer's uid.
var errNoPeerCred = errors.New("instance: peer credentials unsupported")

// peerUID cannot tell the peer's uid here; the socket folder's 0700 mode
// is the guard (macOS: LOCAL_PEERCRED, and a same-user ACL on a Windows
// named pipe, are future work).
func peerUID(net.Conn) (int, error) { return -1, errNoPeerCred }
