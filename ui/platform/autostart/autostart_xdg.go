//go:build !windows && !darwin

package autostart

func enable(e Entry) error           { return enableXDG(e) }
func disable(e Entry) error          { return disableXDG(e) }
func status(e Entry) (Status, error) { return statusXDG(e) }
