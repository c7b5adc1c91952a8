package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/tokentray/tokentray/tokens/importers"
	"github.com/tokentray/tokentray/ui/explain"
)

// ExportSource is the format of a Tokentray export in an ImportPlan (the
// window's Import… reads exports as well as other API clients' files).
const ExportSource importers.Format = "tokentray"

// decodeExport parses a Tokentray export read from source (a file name
// for messages). Unknown fields, another format or version are refused.
func decodeExport(source string, data []byte) (*exportFile, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f exportFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s is not a Tokentray export: %w", source, err)
	}
	if f.Format != ExportFormat || f.Version != 1 {
		return nil, fmt.Errorf("%s is not a Tokentray export (format %q version %d; want %q version 1)", source, explain.Printable(f.Format), f.Version, ExportFormat)
	}
	return &f, nil
}

// ReadExport reads the Tokentray export at path as import candidates,
// for PlanImport: the size and count limits of `tokentray import` apply,
// a profile that cannot be read carries the reason as a problem, and one
// exported without its secret names the secret as missing (the stored
// one is kept only on --replace for the same client, by PlanImport).
func ReadExport(path string) (*importers.Result, error) {
	data, err := readImportFile(&Env{}, path)
	if err != nil {
		return nil, err
	}
	f, err := decodeExport(path, data)
	if err != nil {
		return nil, err
	}
	if len(f.Profiles) > MaxImportProfiles {
		return nil, fmt.Errorf("%s holds %d profiles, more than the import limit of %d; nothing was imported", path, len(f.Profiles), MaxImportProfiles)
	}
	res := &importers.Result{Format: ExportSource, Source: filepath.Base(path)}
	for _, e := range f.Profiles {
		p, err := e.toProfile()
		c := importers.Candidate{Profile: p, Origin: filepath.Base(path)}
		if err != nil {
			c.Problems = []string{oneLine(describe(err))}
		} else if p.ClientSecret == "" && p.Normalized().Auth.UsesSecret() {
			c.SecretMissing = "client secret of " + explain.Printable(p.Name)
		}
		res.Candidates = append(res.Candidates, c)
	}
	return res, nil
}
