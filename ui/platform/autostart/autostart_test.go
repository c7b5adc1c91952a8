package autostart

import (
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens/testenv"
)

func TestDesktopFileContent(t *testing.T) {
	e := Entry{Name: "Tokentray", ID: "io.github.tokentray", Command: []string{"/opt/My Apps/token$tray", "--show"}}
	got := string(desktopFile(e))
	for _, line := range []string{
		"[Desktop Entry]",
		"Type=Application",
		"Name=Tokentray",
		`Exec="/opt/My Apps/token\\$tray" --show`, // quoted, $ escaped, then \ escaped as a string value
		"Icon=io.github.tokentray",                // as the Linux package installs it
		"Terminal=false",
		"X-GNOME-Autostart-enabled=true",
	} {
		if !strings.Contains(got, line+"\n") {
			t.Errorf("desktop file lacks %q:\n%s", line, got)
		}
	}
	if !strings.HasPrefix(got, "[Desktop Entry]\n") {
		t.Errorf("desktop file does not start with its group header:\n%s", got)
	}
}

func TestDesktopExecEscaping(t *testing.T) {
	for _, tc := range []struct {
		argv []string
		want string
	}{
		{[]string{"/usr/bin/tokentray"}, "/usr/bin/tokentray"},
		{[]string{"/a b/t"}, `"/a b/t"`},
		{[]string{`/a"b`}, `"/a\\"b"`},
		{[]string{"/100%/t"}, "/100%%/t"},
		{[]string{"/a`b"}, "\"/a\\\\`b\""},
		{[]string{`/a\b`}, `"/a\\\\b"`},
	} {
		if got := desktopExec(tc.argv); got != tc.want {
			t.Errorf("desktopExec(%q) = %s, want %s", tc.argv, got, tc.want)
		}
	}
}

// A hostile program path (from a renamed folder) must not add lines to the
// desktop file, such as a second Exec.
func TestBadEntriesAreRefused(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", testenv.TempDir(t))
	t.Setenv("HOME", testenv.TempDir(t))
	for name, e := range map[string]Entry{
		"newline in path":  {Name: "T", ID: "t", Command: []string{"/tmp/x\nExec=/bin/evil"}},
		"relative path":    {Name: "T", ID: "t", Command: []string{"tokentray"}},
		"no program":       {Name: "T", ID: "t"},
		"slash in ID":      {Name: "T", ID: "../t", Command: []string{"/bin/t"}},
		"NUL in argument":  {Name: "T", ID: "t", Command: []string{"/bin/t", "a\x00b"}},
		"CR in name":       {Name: "T\r", ID: "t", Command: []string{"/bin/t"}},
		"dot-file ID":      {Name: "T", ID: ".t", Command: []string{"/bin/t"}},
		"empty name":       {ID: "t", Command: []string{"/bin/t"}},
		"newline argument": {Name: "T", ID: "t", Command: []string{"/bin/t", "\n"}},
	} {
		if err := Enable(e); !errors.Is(err, ErrBadEntry) {
			t.Errorf("%s: Enable = %v, want ErrBadEntry", name, err)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "autostart"))
	if len(entries) != 0 {
		t.Errorf("refused entries left files: %v", entries)
	}
}

func TestLaunchAgentPlist(t *testing.T) {
	e := Entry{Name: "Tokentray", ID: "io.github.tokentray", Command: []string{"/Applications/A & B/Tokentray.app/Contents/MacOS/tokentray", "<x>"}}
	data := launchAgent(e)
	// Well-formed XML whose dict holds the keys launchd needs, in order.
	var doc struct {
		XMLName xml.Name `xml:"plist"`
		Version string   `xml:"version,attr"`
		Dict    struct {
			Keys    []string `xml:"key"`
			Strings []string `xml:"string"`
			Array   struct {
				Strings []string `xml:"string"`
			} `xml:"array"`
			True *struct{} `xml:"true"`
		} `xml:"dict"`
	}
	d := xml.NewDecoder(strings.NewReader(string(data)))
	d.Strict = false
	if err := d.Decode(&doc); err != nil {
		t.Fatalf("plist is not XML: %v\n%s", err, data)
	}
	if doc.Version != "1.0" {
		t.Errorf("plist version %q", doc.Version)
	}
	if want := []string{"Label", "ProgramArguments", "RunAtLoad", "ProcessType"}; strings.Join(doc.Dict.Keys, ",") != strings.Join(want, ",") {
		t.Errorf("keys %q, want %q", doc.Dict.Keys, want)
	}
	if want := []string{"io.github.tokentray", "Interactive"}; strings.Join(doc.Dict.Strings, ",") != strings.Join(want, ",") {
		t.Errorf("strings %q, want %q", doc.Dict.Strings, want)
	}
	if strings.Join(doc.Dict.Array.Strings, "|") != strings.Join(e.Command, "|") {
		t.Errorf("ProgramArguments %q, want %q", doc.Dict.Array.Strings, e.Command)
	}
	if doc.Dict.True == nil {
		t.Error("RunAtLoad is not <true/>")
	}
	if !strings.Contains(string(data), "A &amp; B") || strings.Contains(string(data), "<x>") {
		t.Errorf("arguments are not XML-escaped:\n%s", data)
	}
	if got := plistCommand(data); got != strings.Join(e.Command, " ") {
		t.Errorf("plistCommand = %q", got)
	}
}

// The macOS file functions work on any OS; only which one Enable uses
// differs. Their content and removal are checked here under a fake HOME.
func TestPlistFileRoundTrip(t *testing.T) {
	home := testenv.TempDir(t)
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home) // os.UserHomeDir on Windows
	e := Entry{Name: "Tokentray", ID: "io.github.tokentray", Command: []string{"/Applications/Tokentray.app/Contents/MacOS/tokentray"}}
	if err := enablePlist(e); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(home, "Library", "LaunchAgents", "io.github.tokentray.plist")
	got, err := os.ReadFile(path)
	if err != nil || string(got) != string(launchAgent(e)) {
		t.Fatalf("plist file: %v\n%s", err, got)
	}
	st, err := statusPlist(e)
	if err != nil || !st.Enabled || !st.Current || st.Where != path || st.Command != e.Command[0] {
		t.Fatalf("status = %+v, %v", st, err)
	}
	if err := disablePlist(e); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("plist still there: %v", err)
	}
}

func TestGUIProgram(t *testing.T) {
	for in, want := range map[string]string{
		`C:\Tokentray\tokentray.com`: `C:\Tokentray\tokentray.exe`,
		`C:\Tokentray\TOKENTRAY.COM`: `C:\Tokentray\TOKENTRAY.exe`,
		`C:\Tokentray\tokentray.exe`: `C:\Tokentray\tokentray.exe`,
		"/usr/bin/tokentray":         "/usr/bin/tokentray",
	} {
		if got := guiProgram(in); got != want {
			t.Errorf("guiProgram(%s) = %s, want %s", in, got, want)
		}
	}
}
