// Package autostart registers Tokentray to start when the user logs in:
// an XDG autostart .desktop file on Linux and the BSDs, a value under
// HKCU\Software\Microsoft\Windows\CurrentVersion\Run on Windows, a
// LaunchAgent plist on macOS. It has no UI toolkit, so the command line
// (ui/cli) and the window (ui) share it; the registration is per user and
// needs no privileges. Functions are safe for concurrent use as far as the
// underlying file or registry value is (last writer wins).
package autostart

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Entry is what starts at login: one program with its arguments.
type Entry struct {
	// Name is shown to the user ("Tokentray") and names the Windows Run value.
	Name string
	// ID is the reverse-DNS application ID ("io.github.tokentray"): it names
	// the .desktop file and the LaunchAgent (its Label and file).
	ID string
	// Command is the program (an absolute path) and its arguments.
	Command []string
}

// Status is what is registered for an Entry.
type Status struct {
	// Enabled is true when an entry of that name is registered.
	Enabled bool
	// Where names the file or registry value holding it.
	Where string
	// Command is the registered command line as stored (empty when off).
	Command string
	// Current is true when the registered command is the one Enable would
	// write now; false after the program moved.
	Current bool
}

// ErrBadEntry is wrapped when an Entry cannot be registered safely: an
// empty or relative program path, or a line break or NUL in any part.
var ErrBadEntry = errors.New("autostart: bad entry")

// Default is the Entry for the running program, started without arguments
// (the tray app). On Windows it is the GUI program tokentray.exe even when
// the command line tokentray.com asks, so login opens no console window.
func Default() (Entry, error) {
	exe, err := os.Executable()
	if err != nil {
		return Entry{}, fmt.Errorf("autostart: finding this program: %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	if runtime.GOOS == "windows" {
		exe = guiProgram(exe)
	}
	return Entry{Name: "Tokentray", ID: "io.github.tokentray", Command: []string{exe}}, nil
}

// guiProgram maps the console companion tokentray.com to tokentray.exe
// beside it; other paths are returned as they are.
func guiProgram(exe string) string {
	ext := filepath.Ext(exe)
	if strings.EqualFold(ext, ".com") {
		return strings.TrimSuffix(exe, ext) + ".exe"
	}
	return exe
}

// validate checks what every platform needs: a name, an ID usable as a
// file name, an absolute program path, and no line breaks or NULs that
// could add lines to a file or cut a value short.
func (e Entry) validate() error {
	if e.Name == "" || len(e.Command) == 0 || e.Command[0] == "" {
		return fmt.Errorf("%w: a name and a program are needed", ErrBadEntry)
	}
	if e.ID == "" || strings.ContainsAny(e.ID, `/\`) || e.ID[0] == '.' {
		return fmt.Errorf("%w: application ID %q", ErrBadEntry, e.ID)
	}
	if !isAbs(e.Command[0]) {
		return fmt.Errorf("%w: program path %q is not absolute", ErrBadEntry, e.Command[0])
	}
	for _, s := range append([]string{e.Name, e.ID}, e.Command...) {
		if strings.ContainsAny(s, "\x00\r\n") {
			return fmt.Errorf("%w: %q holds a line break or NUL", ErrBadEntry, s)
		}
	}
	return nil
}

// isAbs accepts absolute paths of this OS; on Windows also drive paths
// ("C:\…"), so entries are testable from any OS.
func isAbs(p string) bool {
	return filepath.IsAbs(p) || (len(p) > 2 && p[1] == ':' && (p[2] == '\\' || p[2] == '/'))
}

// Enable registers e to start at login, replacing an older registration of
// the same name.
func Enable(e Entry) error {
	if err := e.validate(); err != nil {
		return err
	}
	return enable(e)
}

// Disable removes e's registration; it is not an error when there is none.
func Disable(e Entry) error {
	if err := e.validate(); err != nil {
		return err
	}
	return disable(e)
}

// Get reports e's registration.
func Get(e Entry) (Status, error) {
	if err := e.validate(); err != nil {
		return Status{}, err
	}
	return status(e)
}

// writeFileAtomic writes data to path through a temporary file in the same
// folder, so a reader never sees half a file.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("autostart: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".tokentray-autostart-*")
	if err != nil {
		return fmt.Errorf("autostart: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename, nothing to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("autostart: %w", err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("autostart: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("autostart: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("autostart: %w", err)
	}
	return nil
}

// fileStatus reports a file-based registration: on when path exists,
// current when it holds exactly want.
func fileStatus(path string, want []byte, command func([]byte) string) (Status, error) {
	got, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return Status{Where: path}, nil
	}
	if err != nil {
		return Status{}, fmt.Errorf("autostart: %w", err)
	}
	return Status{Enabled: true, Where: path, Command: command(got), Current: string(got) == string(want)}, nil
}

// removeFile removes path; a missing file is fine.
func removeFile(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("autostart: %w", err)
	}
	return nil
}
