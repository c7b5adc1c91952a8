package main

import (
	"os"

	"github.com/tokentray/tokentray/ui/platform/instance"
)

// claimDemoInstance makes this demo app the one the command line reaches
// (tokentray pick) when no real app runs, if no other demo is that one
// already: it returns the claimed socket's server (the caller closes it),
// or nil, and the demo then runs on its own, as demos are independent of
// each other and of the real app.
func claimDemoInstance() *instance.Server {
	path, err := instance.DemoPath(os.Getenv("TOKENTRAY_KEYRING_SERVICE"))
	if err != nil {
		return nil
	}
	srv, err := instance.Listen(path)
	if err != nil {
		return nil
	}
	return srv
}
