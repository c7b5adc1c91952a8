package importers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tokentray/tokentray/tokens"
	"gopkg.in/yaml.v3"
)

// insomniaAuth is a request's or folder's authentication in both the v4
// JSON export and the v5 YAML file.
type insomniaAuth struct {
	Type              string `json:"type" yaml:"type"`
	Disabled          bool   `json:"disabled" yaml:"disabled"`
	GrantType         string `json:"grantType" yaml:"grantType"`
	AccessTokenURL    string `json:"accessTokenUrl" yaml:"accessTokenUrl"`
	ClientID          string `json:"clientId" yaml:"clientId"`
	ClientSecret      string `json:"clientSecret" yaml:"clientSecret"`
	Scope             string `json:"scope" yaml:"scope"`
	Audience          string `json:"audience" yaml:"audience"`
	Resource          string `json:"resource" yaml:"resource"`
	CredentialsInBody bool   `json:"credentialsInBody" yaml:"credentialsInBody"`
	AuthorizationURL  string `json:"authorizationUrl" yaml:"authorizationUrl"`
	RedirectURL       string `json:"redirectUrl" yaml:"redirectUrl"`
	UsePKCE           bool   `json:"usePkce" yaml:"usePkce"`
}

// insomniaResource is one entry of a v4 export's resources[].
type insomniaResource struct {
	ID             string         `json:"_id"`
	Type           string         `json:"_type"`
	ParentID       string         `json:"parentId"`
	Name           string         `json:"name"`
	Authentication *insomniaAuth  `json:"authentication"`
	Data           map[string]any `json:"data"`
}

// insomniaV5 is the v5 YAML file (type: collection.insomnia.rest/5.0).
type insomniaV5 struct {
	Type         string           `yaml:"type"`
	Name         string           `yaml:"name"`
	Collection   []insomniaV5Item `yaml:"collection"`
	Environments *insomniaV5Env   `yaml:"environments"`
}

type insomniaV5Item struct {
	Name           string           `yaml:"name"`
	Authentication *insomniaAuth    `yaml:"authentication"`
	Children       []insomniaV5Item `yaml:"children"`
}

type insomniaV5Env struct {
	Name            string          `yaml:"name"`
	Data            map[string]any  `yaml:"data"`
	SubEnvironments []insomniaV5Env `yaml:"subEnvironments"`
}

func readInsomnia(path string, opts Options) (*Result, error) {
	data, err := readFileLimited(path, MaxFileSize)
	if err != nil {
		return nil, err
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return readInsomniaV4(path, trimmed, opts)
	}
	var v5 insomniaV5
	if err := yaml.Unmarshal(data, &v5); err != nil || !strings.HasPrefix(v5.Type, "collection.insomnia.rest/5") {
		return nil, fmt.Errorf("%s is neither an Insomnia v4 export (JSON) nor an Insomnia v5 collection (YAML, type: collection.insomnia.rest/5.0)", path)
	}
	w := insomniaWalker{walker{result: &Result{Source: cleanName(v5.Name)}, collection: v5.Name}}
	base, subs := map[string]any{}, map[string]map[string]any{}
	var subNames []string
	if v5.Environments != nil {
		base = v5.Environments.Data
		for _, s := range v5.Environments.SubEnvironments {
			subs[s.Name] = s.Data
			subNames = append(subNames, s.Name)
		}
	}
	if w.vars, err = insomniaVars(base, subs, subNames, opts.Environment); err != nil {
		return nil, err
	}
	if err := walkTree(&w.walker, v5.Collection, insomniaV5Item.name, w.v5Item); err != nil {
		return nil, err
	}
	if err := w.vars.exhausted(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return w.result, nil
}

func readInsomniaV4(path string, data []byte, opts Options) (*Result, error) {
	var export struct {
		Type      string             `json:"_type"`
		Format    int                `json:"__export_format"`
		Resources []insomniaResource `json:"resources"`
	}
	if err := json.Unmarshal(data, &export); err != nil {
		return nil, fmt.Errorf("%s is not an Insomnia export: %w", path, err)
	}
	if export.Type != "export" || export.Format < 3 {
		return nil, fmt.Errorf("%s is not an Insomnia v4 export (_type %q, __export_format %d)", path, export.Type, export.Format)
	}
	if len(export.Resources) > MaxItems {
		return nil, fmt.Errorf("more than %d resources: %w", MaxItems, ErrTooLarge)
	}
	// Ids must be unique: a repeated group id would be walked once per
	// copy at every level below it, doubling the work per level. A
	// resource without an id can be no one's parent.
	byID := map[string]insomniaResource{}
	children := map[string][]insomniaResource{}
	for _, r := range export.Resources {
		if _, dup := byID[r.ID]; dup {
			return nil, fmt.Errorf("%s is damaged: _id %q is used by more than one resource", path, tokens.Printable(r.ID, 60))
		}
		if r.ID != "" {
			byID[r.ID] = r
		}
		children[r.ParentID] = append(children[r.ParentID], r)
	}
	// Base environments hang off a workspace; sub environments off a base.
	base, subs := map[string]any{}, map[string]map[string]any{}
	var subNames []string
	for _, r := range export.Resources {
		if r.Type != "environment" {
			continue
		}
		if parent, ok := byID[r.ParentID]; ok && parent.Type == "environment" {
			subs[r.Name] = r.Data
			subNames = append(subNames, r.Name)
		} else {
			for k, v := range r.Data {
				base[k] = v
			}
		}
	}
	collection := ""
	for _, r := range export.Resources {
		if r.Type == "workspace" {
			collection = r.Name
			break
		}
	}
	w := insomniaWalker{walker{result: &Result{Source: cleanName(collection)}, collection: collection}}
	var err error
	if w.vars, err = insomniaVars(base, subs, subNames, opts.Environment); err != nil {
		return nil, err
	}
	// Walk from the roots: resources whose parent is not in the file. Each
	// parent's children are walked once (a group without an id would
	// otherwise lead back to the roots).
	walked := map[string]bool{}
	var walk func(parent string, path []string, depth int) error
	walk = func(parent string, path []string, depth int) error {
		if err := w.enter(depth); err != nil {
			return err
		}
		if walked[parent] {
			return nil
		}
		walked[parent] = true
		for _, r := range children[parent] {
			if r.Type != "request" && r.Type != "request_group" {
				continue
			}
			if err := w.next(); err != nil {
				return err
			}
			p := childPath(path, r.Name)
			w.auth(r.Authentication, p)
			if r.Type == "request_group" {
				if err := walk(r.ID, p, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	roots := map[string]bool{}
	for _, r := range export.Resources {
		if _, ok := byID[r.ParentID]; !ok || byID[r.ParentID].Type == "workspace" {
			roots[r.ParentID] = true
		}
	}
	for _, r := range export.Resources { // in file order, each root once
		if roots[r.ParentID] {
			delete(roots, r.ParentID)
			if err := walk(r.ParentID, nil, 0); err != nil {
				return nil, err
			}
		}
	}
	if err := w.vars.exhausted(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return w.result, nil
}

type insomniaWalker struct{ walker }

func (it insomniaV5Item) name() string { return it.Name }

// v5Item takes the OAuth 2.0 settings of the v5 request or folder it at
// path and returns its children.
func (w *insomniaWalker) v5Item(it insomniaV5Item, path []string) []insomniaV5Item {
	w.auth(it.Authentication, path)
	return it.Children
}

func (w *insomniaWalker) auth(a *insomniaAuth, path []string) {
	if a == nil || a.Type != "oauth2" || a.Disabled {
		return
	}
	cfg := oauthConfig{
		grantType:    a.GrantType,
		tokenURL:     a.AccessTokenURL,
		clientID:     a.ClientID,
		clientSecret: a.ClientSecret,
		scope:        a.Scope,
		audience:     a.Audience,
		resource:     a.Resource,
		inBody:       a.CredentialsInBody,
		authURL:      a.AuthorizationURL,
		callbackURL:  a.RedirectURL,
		pkce:         a.UsePKCE,
	}
	cand, skip := cfg.candidate(profileName(w.collection, path...), origin(append([]string{w.collection}, path...)...), w.vars)
	if skip != nil {
		w.result.Skipped = append(w.result.Skipped, *skip)
		return
	}
	w.result.Candidates = append(w.result.Candidates, cand)
}

// insomniaVars resolves {{ _.name }} (and {{ name }}, dotted paths into
// nested objects) from the base environment overlaid by the chosen sub
// environment: the one named, else the only one there is.
func insomniaVars(base map[string]any, subs map[string]map[string]any, names []string, choice string) (resolver, error) {
	var sub map[string]any
	switch {
	case choice != "":
		s, ok := subs[choice]
		if !ok {
			return resolver{}, fmt.Errorf("no environment named %q (the file has: %s)", choice, strings.Join(names, ", "))
		}
		sub = s
	case len(subs) == 1:
		sub = subs[names[0]]
	}
	lookup := func(name string) (string, bool) {
		for _, m := range []map[string]any{sub, base} {
			if v, ok := dotted(m, name); ok {
				return v, true
			}
		}
		return "", false
	}
	return newResolver(insomniaVar, lookup, nil), nil
}

// dotted finds a.b.c in nested maps and renders a scalar value.
func dotted(m map[string]any, name string) (string, bool) {
	var cur any = m
	for _, part := range strings.Split(name, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return "", false
		}
		if cur, ok = mm[part]; !ok {
			return "", false
		}
	}
	switch v := cur.(type) {
	case string:
		return v, true
	case bool, float64, int:
		return fmt.Sprint(v), true
	}
	return "", false
}
