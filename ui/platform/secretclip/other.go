//go:build !(linux || freebsd || openbsd || netbsd || windows)

package secretclip

func open() (Board, error) { return nil, ErrUnsupported }
