package autostart

func enable(e Entry) error           { return enablePlist(e) }
func disable(e Entry) error          { return disablePlist(e) }
func status(e Entry) (Status, error) { return statusPlist(e) }
