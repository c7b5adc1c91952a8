package importers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Detect says which format the file or folder at path is in: a folder with
// bruno.json is a Bruno collection; a file is a Tokentray export, a
// Postman collection, an Insomnia v4 export or an Insomnia v5 collection
// by its content.
func Detect(path string) (Format, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if st.IsDir() {
		if _, err := os.Stat(filepath.Join(path, "bruno.json")); err == nil {
			return Bruno, nil
		}
		if _, err := os.Stat(filepath.Join(path, "opencollection.yml")); err == nil {
			return "", fmt.Errorf("%s is a Bruno collection in the YAML format, which Tokentray does not read yet; use a .bru collection", path)
		}
		return "", fmt.Errorf("%s is a folder without bruno.json: not a Bruno collection", path)
	}
	if strings.HasSuffix(path, ".bru") {
		return "", errors.New("this is one Bruno request: choose the collection's folder (the one with bruno.json)")
	}
	data, err := readFileLimited(path, MaxFileSize)
	if err != nil {
		return "", err
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var probe struct {
			Info *struct {
				Schema string `json:"schema"`
			} `json:"info"`
			Format string `json:"format"`
			Type   string `json:"_type"`
			Scope  string `json:"_postman_variable_scope"`
			Values []any  `json:"values"`
		}
		if err := json.Unmarshal(trimmed, &probe); err != nil {
			return "", fmt.Errorf("%s is not valid JSON: %w", path, err)
		}
		switch {
		case probe.Format == ExportFormat:
			return Tokentray, nil
		case probe.Info != nil && strings.Contains(probe.Info.Schema, "postman"):
			return Postman, nil
		case probe.Type == "export":
			return Insomnia, nil
		case probe.Scope != "" || probe.Values != nil:
			return "", errors.New("this is a Postman environment: import the collection, and give this file as its environment")
		}
		return "", fmt.Errorf("%s is JSON, but neither a Postman collection nor an Insomnia export", path)
	}
	for _, line := range strings.SplitN(string(trimmed), "\n", 20) {
		if strings.HasPrefix(strings.TrimSpace(line), "type: collection.insomnia.rest/5") {
			return Insomnia, nil
		}
	}
	return "", fmt.Errorf("%s is not a Postman collection, an Insomnia export or a Bruno collection", path)
}
