package autostart

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// XDG autostart (freedesktop.org Desktop Application Autostart
// Specification): $XDG_CONFIG_HOME/autostart/ID.desktop, started by the
// desktop session at login. Built on every OS so its tests run everywhere;
// used on Linux and the BSDs (autostart_xdg.go).

// desktopPath is the autostart file of id.
func desktopPath(id string) (string, error) {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(dir) { // unset, or relative (the spec says to ignore it)
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("autostart: no config folder: %w", err)
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "autostart", id+".desktop"), nil
}

// desktopFile is the content of e's autostart file.
func desktopFile(e Entry) []byte {
	var b strings.Builder
	b.WriteString("[Desktop Entry]\n")
	b.WriteString("Type=Application\n")
	fmt.Fprintf(&b, "Name=%s\n", desktopString(e.Name))
	b.WriteString("Comment=OAuth 2.0 client-credentials tokens in the tray\n")
	fmt.Fprintf(&b, "Exec=%s\n", desktopExec(e.Command))
	fmt.Fprintf(&b, "Icon=%s\n", desktopString(e.ID)) // the icon the package installs: pixmaps/ID.png
	b.WriteString("Terminal=false\n")
	b.WriteString("X-GNOME-Autostart-enabled=true\n")
	return []byte(b.String())
}

// desktopString escapes a value of type string: backslash first, then the
// control characters validate has not already refused.
func desktopString(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\t", `\t`).Replace(s)
}

// desktopExec is the Exec value for argv: each argument quoted when it holds
// a reserved character, with ", `, $ and \ escaped inside the quotes, and %
// doubled (field codes); then escaped as a string value.
func desktopExec(argv []string) string {
	quoted := make([]string, len(argv))
	for i, a := range argv {
		a = strings.ReplaceAll(a, "%", "%%")
		if a == "" || strings.ContainsAny(a, " \t\n\"'\\><~|&;$*?#()`=") {
			a = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`", `$`, `\$`).Replace(a) + `"`
		}
		quoted[i] = a
	}
	return desktopString(strings.Join(quoted, " "))
}

// desktopCommand extracts the Exec value from a desktop file, as stored.
func desktopCommand(data []byte) string {
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(strings.TrimRight(line, "\r\n"), "Exec="); ok {
			return v
		}
	}
	return ""
}

func enableXDG(e Entry) error {
	path, err := desktopPath(e.ID)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, desktopFile(e))
}

func disableXDG(e Entry) error {
	path, err := desktopPath(e.ID)
	if err != nil {
		return err
	}
	return removeFile(path)
}

func statusXDG(e Entry) (Status, error) {
	path, err := desktopPath(e.ID)
	if err != nil {
		return Status{}, err
	}
	return fileStatus(path, desktopFile(e), desktopCommand)
}
