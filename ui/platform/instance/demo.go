package instance

import (
	"fmt"

	"github.com/tokentray/tokentray/tokens/keyring"
)

// DemoPath is the socket of a demo app (tokentray --demo) started with
// service's environment ("" is the default service), so that the command
// line (tokentray pick) can reach a demo when no real app runs. Demo apps
// are independent of each other and of the real app: the first demo
// claims this socket, later ones run without it.
func DemoPath(service string) (string, error) {
	p, err := keyring.RuntimePath(service, "-demo.sock")
	if err != nil {
		return "", fmt.Errorf("instance: %w", err)
	}
	return p, nil
}
