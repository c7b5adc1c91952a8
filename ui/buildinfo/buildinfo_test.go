package buildinfo

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestFromBuild(t *testing.T) {
	vcs := func(rev, when, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.time", Value: when}, {Key: "vcs.modified", Value: modified}}
	}
	fyne := []*debug.Module{{Path: "fyne.io/fyne/v2", Version: "v2.7.1"}}
	cases := []struct {
		name string
		bi   *debug.BuildInfo
		ld   ldflags
		want Info
	}{
		{"plain go build in a checkout", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Deps: fyne, Settings: vcs("abc123", "2026-12-06T10:00:00Z", "false")},
			ldflags{}, Info{Version: "devel", Commit: "abc123", Date: "2026-12-06T10:00:00Z", GoVersion: "go1.26.8", FyneVersion: "v2.7.1"}},
		{"a dirty tree", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Deps: fyne, Settings: vcs("abc123", "2026-12-06T10:00:00Z", "true")},
			ldflags{}, Info{Version: "devel", Commit: "abc123+dirty", Date: "2026-12-06T10:00:00Z", FyneVersion: "v2.7.1"}},
		{"ldflags win over the build info", &debug.BuildInfo{Main: debug.Module{Version: "v9.9.9"}, Deps: fyne, Settings: vcs("abc123", "2026-12-06T10:00:00Z", "true")},
			ldflags{"0.1.0", "def456", "2026-12-01T00:00:00Z", "v2.0.0"}, Info{Version: "0.1.0", Commit: "def456", Date: "2026-12-01T00:00:00Z", FyneVersion: "v2.7.1"}},
		{"go install of a release", &debug.BuildInfo{Main: debug.Module{Version: "v0.2.0"}, Deps: fyne},
			ldflags{}, Info{Version: "0.2.0", Commit: "unknown", Date: "unknown", FyneVersion: "v2.7.1"}},
		{"a binary without Fyne, told its version", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}},
			ldflags{fyne: "v2.7.1"}, Info{Version: "devel", Commit: "unknown", Date: "unknown", FyneVersion: "v2.7.1"}},
		{"a binary without Fyne, not told", &debug.BuildInfo{},
			ldflags{}, Info{Version: "devel", Commit: "unknown", Date: "unknown", FyneVersion: "not linked"}},
		{"a replaced Fyne", &debug.BuildInfo{Deps: []*debug.Module{{Path: "fyne.io/fyne/v2", Version: "v2.7.1", Replace: &debug.Module{Path: "../fyne"}}}},
			ldflags{}, Info{Version: "devel", Commit: "unknown", Date: "unknown", FyneVersion: "../fyne"}},
		{"no build info", nil, ldflags{}, Info{Version: "devel", Commit: "unknown", Date: "unknown", FyneVersion: "not linked"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := fromBuild(tc.bi, tc.ld)
			if got.GoVersion == "" || got.Platform == "" {
				t.Errorf("Go version %q, platform %q: want both", got.GoVersion, got.Platform)
			}
			if tc.want.GoVersion != "" && got.GoVersion != tc.want.GoVersion {
				t.Errorf("GoVersion %q, want %q", got.GoVersion, tc.want.GoVersion)
			}
			got.GoVersion, got.Platform, tc.want.GoVersion = "", "", ""
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestStringNamesEveryPart(t *testing.T) {
	s := Info{Version: "0.1.0", Commit: "abc", Date: "2026-12-06T10:00:00Z", GoVersion: "go1.26.8", Platform: "linux/amd64", FyneVersion: "v2.7.1"}.String()
	if !strings.HasPrefix(s, "tokentray 0.1.0\n") {
		t.Errorf("first line: %q", s)
	}
	for _, want := range []string{"abc", "2026-12-06T10:00:00Z", "go1.26.8", "linux/amd64", "v2.7.1"} {
		if !strings.Contains(s, want) {
			t.Errorf("%q lacks %q", s, want)
		}
	}
}
