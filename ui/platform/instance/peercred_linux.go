package instance

import (
	"errors"
	"net"
	"syscall"
)

// errNoPeerCred: the system cannot tell a socket peer's uid.
var errNoPeerCred = errors.New("instance: peer credentials unsupported")

// peerUID is the uid of the process at the other end of c (SO_PEERCRED:
// the credentials the kernel recorded when the peer connected).
func peerUID(c net.Conn) (int, error) {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return -1, errors.New("instance: not a unix socket")
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return -1, err
	}
	var cred *syscall.Ucred
	var credErr error
	if err := raw.Control(func(fd uintptr) {
		cred, credErr = syscall.GetsockoptUcred(int(fd), syscall.SOL_SOCKET, syscall.SO_PEERCRED)
	}); err != nil {
		return -1, err
	}
	if credErr != nil {
		return -1, credErr
	}
	return int(cred.Uid), nil
}
