package cli

import (
	"context"
	"fmt"

	"github.com/tokentray/tokentray/ui/platform/autostart"
)

// runAutostart is `tokentray autostart on|off|status`: start the tray app
// at login (ui/platform/autostart: XDG autostart file, Windows Run value, macOS
// LaunchAgent) for this user.
func runAutostart(_ context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "autostart")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	e, err := autostart.Default()
	if err != nil {
		return err
	}
	switch pos[0] {
	case "on":
		if err := autostart.Enable(e); err != nil {
			return err
		}
		st, err := autostart.Get(e)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Tokentray starts at login (%s).\n", st.Where)
	case "off":
		if err := autostart.Disable(e); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "Tokentray does not start at login.")
	case "status":
		st, err := autostart.Get(e)
		if err != nil {
			return err
		}
		switch {
		case !st.Enabled:
			fmt.Fprintln(env.Stdout, "off")
		case st.Current:
			fmt.Fprintf(env.Stdout, "on: %s starts %s\n", st.Where, st.Command)
		default:
			fmt.Fprintf(env.Stdout, "on, but %s starts %s, not this program (run 'tokentray autostart on' to update it)\n", st.Where, st.Command)
		}
	default:
		return usagef("autostart takes on, off or status, not %q", pos[0])
	}
	return nil
}
