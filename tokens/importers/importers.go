// Package importers is Tokentray's one import pipeline. It reads Tokentray's
// own export (Tokentray, written by NewExport) and the OAuth 2.0
// client-credentials configurations that other API clients keep (Postman
// collections, Bruno collection folders, Insomnia exports), turning each
// into a Tokentray profile (Read, Detect); plans the import against the
// stored profiles (NewPlan: clashes, replacing, the same-client secret
// rule, drafts, the limits); and saves the plan through the engine's write
// path (Apply). The command line (`tokentray import`, `import --from`) and
// the window's Import… dialog both use it, so one file gives one result.
//
// Wording is the caller's (ui/explain): plans and outcomes are data, and
// the plan's reasons typed errors. Every input is treated as hostile: files are
// size-checked before they are read, folders are walked to a bounded depth
// and count, and names lose control characters. A Reader holds no state;
// the functions are safe for concurrent use.
package importers

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tokentray/tokentray/tokens"
)

// Format names a source format.
type Format string

// The supported formats.
const (
	Postman  Format = "postman"
	Bruno    Format = "bruno"
	Insomnia Format = "insomnia"
)

// Formats lists the other API clients' formats (Tokentray's own export,
// Tokentray, is read too).
var Formats = []Format{Postman, Bruno, Insomnia}

// Limits on what is read. A collection larger than this is not a profile
// source a person keeps by hand.
const (
	MaxFileSize    = 16 << 20 // one export file or .bru file
	MaxFolderFiles = 5000     // files looked at in a Bruno collection folder
	MaxFolderDepth = 16       // folder nesting in a Bruno collection
	MaxFolderBytes = 64 << 20 // all .bru files of a Bruno collection together
	MaxItems       = 20000    // requests and folders in one collection
	MaxNesting     = 64       // folder nesting inside an export file
)

// ErrTooLarge is wrapped when an input passes one of the limits above.
var ErrTooLarge = errors.New("too large")

// Options are the optional inputs of Read.
type Options struct {
	// Environment is, for Postman, the path of an environment export
	// (values[] resolve {{variables}}); for Bruno and Insomnia, the name of
	// the environment to use (or, for Bruno, the path of its .bru file).
	// Empty: Bruno and Insomnia use the only environment there is, if one.
	Environment string
}

// Candidate is one profile read from the source.
type Candidate struct {
	// Profile is the converted profile. Its Name is unique within the Result.
	Profile tokens.Profile
	// Origin says where in the source it was found ("Collection / Folder / Request").
	Origin string
	// SecretMissing is set when the source keeps the client secret out of
	// its files (Bruno's vars:secret, an empty Postman secret): it names
	// the variable, and the profile has no secret yet.
	SecretMissing string
	// Problems lists what keeps the profile from being usable as read (an
	// unresolved {{variable}}, a missing token URL), each once, at most
	// maxProblems and then a ProblemMore.
	Problems []Problem
	// Notes are what changed on the way that the user may want to know (a
	// dropped parameter).
	Notes []Note
}

// Skipped is an OAuth 2.0 configuration that is not imported.
type Skipped struct {
	Origin string
	// Code says why; Grant is the grant type of a SkipGrant (printable,
	// "" when none was given), Err the cause of a SkipUnreadable.
	Code  SkipCode
	Grant string
	Err   error
}

// Result is what a source holds.
type Result struct {
	Format     Format
	Source     string // the collection's name
	Candidates []Candidate
	Skipped    []Skipped
}

// Read reads the source at path in the given format.
func Read(format Format, path string, opts Options) (*Result, error) {
	var (
		r   *Result
		err error
	)
	switch format {
	case Postman:
		r, err = readPostman(path, opts)
	case Bruno:
		r, err = readBruno(path, opts)
	case Insomnia:
		r, err = readInsomnia(path, opts)
	case Tokentray:
		return readExportFile(path) // its names are kept as written
	default:
		return nil, fmt.Errorf("unknown format %q (use postman, bruno or insomnia)", format)
	}
	if err != nil {
		return nil, err
	}
	r.Format = format
	r.dedupe()
	return r, nil
}

// readFileLimited reads a regular file no larger than limit, checking the
// size before reading and reading no more than limit+1 bytes.
func readFileLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return readOpenFile(f, path, limit)
}

// readOpenFile reads and closes f, opened from path, as readFileLimited.
func readOpenFile(f *os.File, path string, limit int64) ([]byte, error) {
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("%s: %d bytes, more than %d: %w", path, st.Size(), limit, ErrTooLarge)
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s grew past %d bytes while read: %w", path, limit, ErrTooLarge)
	}
	return b, nil
}

// maxOriginLen caps an origin: 64 folders of 100-byte names would
// otherwise make every item's origin 6 KB.
const maxOriginLen = 300

// origin joins the names on the way to an item; a long way keeps its
// first and last names.
func origin(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = cleanName(p); p != "" {
			out = append(out, p)
		}
	}
	if s := strings.Join(out, " / "); len(s) <= maxOriginLen {
		return s
	}
	return out[0] + " / … / " + out[len(out)-1]
}
