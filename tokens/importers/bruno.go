package importers

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// readBruno reads a Bruno collection folder: collection.bru and folder.bru
// files (collection and folder auth), the requests' .bru files, and the
// variables of one environments/*.bru file.
func readBruno(root string, opts Options) (*Result, error) {
	st, err := os.Stat(root)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s is not a folder: give the Bruno collection's folder (the one with bruno.json)", root)
	}
	dir, err := openCollection(root)
	if err != nil {
		return nil, err
	}
	defer dir.Close()
	name := filepath.Base(root)
	if data, err := dir.read("bruno.json", 1<<20); err == nil {
		var meta struct {
			Name string `json:"name"`
		}
		if json.Unmarshal(data, &meta) == nil && meta.Name != "" {
			name = meta.Name
		}
	} else if errors.Is(err, fs.ErrNotExist) {
		if _, err2 := dir.root.Lstat("opencollection.yml"); err2 == nil {
			return nil, fmt.Errorf("%s is a Bruno collection in the YAML format, which Tokentray does not read yet; export it as a .bru collection", root)
		}
		return nil, fmt.Errorf("%s has no bruno.json: it is not a Bruno collection folder", root)
	} else {
		return nil, err
	}

	files, err := dir.walk()
	if err != nil {
		return nil, err
	}
	envVars, secret, err := brunoEnvironment(dir, opts.Environment)
	if err != nil {
		return nil, err
	}
	r := &Result{Source: cleanName(name)}
	var collVars map[string]string
	parsed := map[string]bruFile{}
	for _, rel := range files {
		data, err := dir.read(rel, MaxFileSize)
		if err != nil {
			return nil, err
		}
		f, err := parseBru(string(data))
		if err != nil {
			r.Skipped = append(r.Skipped, Skipped{Origin: origin(name, rel), Code: SkipUnreadable, Err: err})
			continue
		}
		parsed[rel] = f
		if rel == "collection.bru" {
			collVars = f.dict("vars:pre-request")
		}
	}
	vars := newResolver(curlyVar, mapLookup(envVars, collVars), secret)
	for _, rel := range files {
		f, ok := parsed[rel]
		if !ok {
			continue
		}
		auth := f.dict("auth:oauth2")
		if len(auth) == 0 || !usesOAuth2(f, rel) {
			continue
		}
		path := brunoPath(f, rel)
		cfg := oauthConfig{
			grantType:    auth["grant_type"],
			tokenURL:     auth["access_token_url"],
			clientID:     auth["client_id"],
			clientSecret: auth["client_secret"],
			scope:        auth["scope"],
			inBody:       auth["credentials_placement"] == "body",
			authURL:      auth["authorization_url"],
			callbackURL:  auth["callback_url"],
			pkce:         strings.EqualFold(strings.TrimSpace(auth["pkce"]), "true"),
		}
		for _, where := range []struct{ block, in string }{
			{"auth:oauth2:additional_params:access_token_req:body", "body"},
			{"auth:oauth2:additional_params:access_token_req:headers", "header"},
			{"auth:oauth2:additional_params:access_token_req:queryparams", "query"},
		} {
			for _, p := range f.dicts[where.block] {
				if p.enabled {
					cfg.params = append(cfg.params, param{key: p.key, value: p.value, in: where.in})
				}
			}
		}
		cand, skip := cfg.candidate(profileName(name, path...), origin(append([]string{name}, path...)...), vars)
		if skip != nil {
			r.Skipped = append(r.Skipped, *skip)
			continue
		}
		r.Candidates = append(r.Candidates, cand)
	}
	if err := vars.exhausted(); err != nil {
		return nil, fmt.Errorf("%s: %w", root, err)
	}
	return r, nil
}

// usesOAuth2 reports whether the auth:oauth2 block is in force: Bruno keeps
// the block of a mode no longer selected.
func usesOAuth2(f bruFile, rel string) bool {
	base := filepath.Base(rel)
	if base == "collection.bru" || base == "folder.bru" {
		return f.dict("auth")["mode"] == "oauth2"
	}
	for _, method := range []string{"get", "post", "put", "delete", "patch", "options", "head", "connect", "trace", "http"} {
		if m, ok := f.dicts[method]; ok {
			for _, p := range m {
				if p.key == "auth" {
					return p.value == "oauth2"
				}
			}
		}
	}
	return false
}

// brunoPath names the item: the folder names, then the request's meta name.
func brunoPath(f bruFile, rel string) []string {
	dir := filepath.Dir(rel)
	var path []string
	if dir != "." {
		path = strings.Split(filepath.ToSlash(dir), "/")
	}
	base := filepath.Base(rel)
	if base == "collection.bru" {
		return nil
	}
	if base == "folder.bru" {
		if n := f.dict("meta")["name"]; n != "" && len(path) > 0 {
			path[len(path)-1] = n
		}
		return path
	}
	n := f.dict("meta")["name"]
	if n == "" {
		n = strings.TrimSuffix(base, ".bru")
	}
	return append(path, n)
}

// brunoEnvironment reads the variables of the chosen environment: the
// name given (environments/NAME.bru) or a .bru file's path given by the
// user (read where it is), else the only one there is. secret holds the
// names listed in vars:secret, whose values Bruno keeps out of the file.
func brunoEnvironment(dir collectionDir, choice string) (vars map[string]string, secret map[string]bool, err error) {
	var data []byte
	switch {
	case choice != "" && strings.HasSuffix(choice, ".bru"):
		data, err = readFileLimited(choice, MaxFileSize)
	case choice != "":
		if _, err := dir.environments(); err != nil {
			return nil, nil, err
		}
		data, err = dir.read(filepath.Join("environments", choice+".bru"), MaxFileSize)
	default:
		envs, lerr := dir.environments()
		switch {
		case lerr != nil:
			return nil, nil, lerr
		case len(envs) == 0:
			return nil, nil, nil
		case len(envs) > 1:
			return nil, nil, fmt.Errorf("the collection has several environments (%s); choose one with --env NAME", strings.Join(envs, ", "))
		}
		choice = envs[0]
		data, err = dir.read(filepath.Join("environments", choice+".bru"), MaxFileSize)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading the environment: %w", err)
	}
	f, err := parseBru(string(data))
	if err != nil {
		return nil, nil, fmt.Errorf("environment %s: %w", choice, err)
	}
	secret = map[string]bool{}
	for _, name := range f.lists["vars:secret"] {
		secret[strings.TrimPrefix(name, "~")] = true
	}
	return f.dict("vars"), secret, nil
}
