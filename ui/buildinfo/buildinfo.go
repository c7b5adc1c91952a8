// Package buildinfo says which Tokentray this is: its version, the commit
// it was built from and that commit's date, the Go release and the Fyne
// version, for `tokentray --version`, the window's About and bug reports.
//
// The Makefile and the packages set the version, commit and date with
// -ldflags "-X github.com/tokentray/tokentray/ui/buildinfo.version=…" (and
// .commit, .date, .fyneVersion); a plain `go build` in a git checkout gets
// the commit and date from the build info Go records (vcs.revision,
// vcs.time), and `go install …@vX` the module version. The package imports
// no UI toolkit: the Fyne version comes from the build's module list, so
// the command line can say it without linking Fyne.
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// Set by -ldflags -X; empty in a plain build.
var (
	version     string
	commit      string
	date        string
	fyneVersion string
)

// fyneModule is the module whose version Info.Fyne names.
const fyneModule = "fyne.io/fyne/v2"

// Info describes one build. Its fields are never empty: what is not known
// reads "unknown" (FyneVersion "not linked" when the binary holds no Fyne
// and none was set at build time).
type Info struct {
	Version     string // "0.1.0", or "devel" for a plain build
	Commit      string // the full commit hash, "+dirty" when the tree had changes
	Date        string // the commit's date, RFC 3339
	GoVersion   string // "go1.26.8"
	Platform    string // "linux/amd64"
	FyneVersion string // "v2.7.1"
}

// Read returns this binary's Info. It is cheap and safe for concurrent use.
func Read() Info {
	bi, _ := debug.ReadBuildInfo()
	return fromBuild(bi, ldflags{version, commit, date, fyneVersion})
}

// ldflags are the values set with -X.
type ldflags struct{ version, commit, date, fyne string }

// fromBuild merges what -ldflags set (preferred: the Makefile and packages
// know the release) with what Go recorded (bi may be nil). Pure.
func fromBuild(bi *debug.BuildInfo, ld ldflags) Info {
	in := Info{Version: ld.version, Commit: ld.commit, Date: ld.date,
		GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	// The binary's own module list is the truth about the Fyne it links;
	// the -X value covers a binary that does not link Fyne.
	if v := moduleVersion(bi, fyneModule); v != "" {
		in.FyneVersion = v
	} else {
		in.FyneVersion = ld.fyne
	}
	if bi != nil {
		if bi.GoVersion != "" {
			in.GoVersion = bi.GoVersion
		}
		if in.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			in.Version = strings.TrimPrefix(bi.Main.Version, "v")
		}
		var rev, when string
		dirty := false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if in.Commit == "" && rev != "" {
			in.Commit = rev
			if dirty {
				in.Commit += "+dirty"
			}
		}
		if in.Date == "" {
			in.Date = when
		}
	}
	fill := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	fill(&in.Version, "devel")
	fill(&in.Commit, "unknown")
	fill(&in.Date, "unknown")
	fill(&in.FyneVersion, "not linked")
	return in
}

// moduleVersion is the version of module path among bi's dependencies
// (its replacement's, when replaced), or "".
func moduleVersion(bi *debug.BuildInfo, path string) string {
	if bi == nil {
		return ""
	}
	for _, d := range bi.Deps {
		if d.Path != path {
			continue
		}
		if d.Replace != nil {
			if d.Replace.Version != "" {
				return d.Replace.Version
			}
			return d.Replace.Path
		}
		return d.Version
	}
	return ""
}

// String is the text of `tokentray --version`: the version on the first
// line, then one line each for the commit, Go and Fyne.
func (in Info) String() string {
	return fmt.Sprintf("tokentray %s\ncommit  %s (%s)\ngo      %s %s\nfyne    %s\n",
		in.Version, in.Commit, in.Date, in.GoVersion, in.Platform, in.FyneVersion)
}
