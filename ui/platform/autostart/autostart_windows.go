package autostart

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/sys/windows/registry"
)

// Windows: a string value named e.Name under the user's Run key, read by
// Explorer at login. Per user, no elevation.

const runKey = `Software\Microsoft\Windows\CurrentVersion\Run`

// runValue is the command line stored for e: each argument quoted when it
// holds a space or tab or is empty (no argument holds a quote: the
// program path cannot, and Default adds no arguments).
func runValue(e Entry) string {
	parts := make([]string, len(e.Command))
	for i, a := range e.Command {
		if i == 0 || a == "" || strings.ContainsAny(a, " \t") {
			a = `"` + a + `"`
		}
		parts[i] = a
	}
	return strings.Join(parts, " ")
}

func enable(e Entry) error {
	for _, a := range e.Command {
		if strings.Contains(a, `"`) {
			return fmt.Errorf("%w: %q holds a quote", ErrBadEntry, a)
		}
	}
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("autostart: opening HKCU\\%s: %w", runKey, err)
	}
	defer k.Close()
	if err := k.SetStringValue(e.Name, runValue(e)); err != nil {
		return fmt.Errorf("autostart: writing HKCU\\%s\\%s: %w", runKey, e.Name, err)
	}
	return nil
}

func disable(e Entry) error {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("autostart: opening HKCU\\%s: %w", runKey, err)
	}
	defer k.Close()
	if err := k.DeleteValue(e.Name); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return fmt.Errorf("autostart: removing HKCU\\%s\\%s: %w", runKey, e.Name, err)
	}
	return nil
}

func status(e Entry) (Status, error) {
	where := `HKCU\` + runKey + `\` + e.Name
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return Status{Where: where}, nil
	}
	if err != nil {
		return Status{}, fmt.Errorf("autostart: opening HKCU\\%s: %w", runKey, err)
	}
	defer k.Close()
	v, _, err := k.GetStringValue(e.Name)
	if errors.Is(err, registry.ErrNotExist) {
		return Status{Where: where}, nil
	}
	if err != nil {
		return Status{}, fmt.Errorf("autostart: reading %s: %w", where, err)
	}
	return Status{Enabled: true, Where: where, Command: v, Current: v == runValue(e)}, nil
}
