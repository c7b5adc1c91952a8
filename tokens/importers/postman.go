package importers

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// postmanItem is a collection, folder or request of a Postman collection
// (v2.0 and v2.1 share this shape).
type postmanItem struct {
	Name    string          `json:"name"`
	Items   []postmanItem   `json:"item"`
	Auth    *postmanAuth    `json:"auth"`
	Request json.RawMessage `json:"request"` // an object, or a bare URL string
}

type postmanCollection struct {
	Info struct {
		Name   string `json:"name"`
		Schema string `json:"schema"`
	} `json:"info"`
	Items     []postmanItem `json:"item"`
	Auth      *postmanAuth  `json:"auth"`
	Variables []postmanVar  `json:"variable"`
	Requests  []any         `json:"requests"` // v1 only
}

type postmanAuth struct {
	Type   string          `json:"type"`
	OAuth2 json.RawMessage `json:"oauth2"`
}

type postmanVar struct {
	Key      string `json:"key"`
	Value    any    `json:"value"`
	Type     string `json:"type"`
	Disabled bool   `json:"disabled"`
	Enabled  *bool  `json:"enabled"`
}

func (v postmanVar) on() bool { return !v.Disabled && (v.Enabled == nil || *v.Enabled) }

// postmanEnvironment is a Postman environment export.
type postmanEnvironment struct {
	Name   string       `json:"name"`
	Values []postmanVar `json:"values"`
}

func readPostman(path string, opts Options) (*Result, error) {
	data, err := readFileLimited(path, MaxFileSize)
	if err != nil {
		return nil, err
	}
	var c postmanCollection
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%s is not a Postman collection: %w", path, err)
	}
	if c.Info.Schema == "" && c.Requests != nil {
		return nil, fmt.Errorf("%s is a Postman collection v1; export it again as Collection v2.1 (Postman: ⋯ › Export)", path)
	}
	if !strings.Contains(c.Info.Schema, "schema.getpostman.com/json/collection/v2") && !strings.Contains(c.Info.Schema, "schema.postman.com/json/collection/v2") {
		return nil, fmt.Errorf("%s is not a Postman collection v2.0 or v2.1 (info.schema is %q)", path, c.Info.Schema)
	}
	collVars := map[string]string{}
	for _, v := range c.Variables {
		if v.on() && v.Key != "" {
			collVars[v.Key] = scalar(v.Value)
		}
	}
	envVars := map[string]string{}
	if opts.Environment != "" {
		envData, err := readFileLimited(opts.Environment, MaxFileSize)
		if err != nil {
			return nil, fmt.Errorf("reading the environment: %w", err)
		}
		var env postmanEnvironment
		if err := json.Unmarshal(envData, &env); err != nil || env.Values == nil {
			return nil, fmt.Errorf("%s is not a Postman environment export (values[]): %v", opts.Environment, err)
		}
		for _, v := range env.Values {
			if v.on() && v.Key != "" {
				envVars[v.Key] = scalar(v.Value)
			}
		}
	}
	// Environment values win over collection variables, as in Postman.
	vars := newResolver(curlyVar, mapLookup(envVars, collVars), nil)
	r := &Result{Source: cleanName(c.Info.Name)}
	w := postmanWalker{walker{result: r, vars: vars, collection: c.Info.Name}}
	w.auth(c.Auth, nil)
	if err := walkTree(&w.walker, c.Items, postmanItem.name, w.item); err != nil {
		return nil, err
	}
	if err := vars.exhausted(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

type postmanWalker struct{ walker }

func (it postmanItem) name() string { return it.Name }

// item takes the OAuth 2.0 settings of the request or folder it at path
// (its own, else its request's) and returns its children.
func (w *postmanWalker) item(it postmanItem, path []string) []postmanItem {
	auth := it.Auth
	if auth == nil && len(it.Request) > 0 && it.Request[0] == '{' {
		var req struct {
			Auth *postmanAuth `json:"auth"`
		}
		if err := json.Unmarshal(it.Request, &req); err == nil {
			auth = req.Auth
		}
	}
	w.auth(auth, path)
	return it.Items
}

func (w *postmanWalker) auth(a *postmanAuth, path []string) {
	if a == nil || a.Type != "oauth2" {
		return
	}
	from := origin(append([]string{w.collection}, path...)...)
	settings, err := postmanSettings(a.OAuth2)
	if err != nil {
		w.result.Skipped = append(w.result.Skipped, Skipped{Origin: from, Code: SkipUnreadable, Err: err})
		return
	}
	cfg := oauthConfig{
		grantType:    settings.str("grant_type"),
		tokenURL:     settings.str("accessTokenUrl"),
		clientID:     settings.str("clientId"),
		clientSecret: settings.str("clientSecret"),
		scope:        settings.str("scope"),
		audience:     settings.str("audience"),
		resource:     settings.str("resource"),
		inBody:       settings.str("client_authentication") == "body",
		authURL:      settings.str("authUrl"),
		callbackURL:  settings.str("redirect_uri"),
	}
	if cfg.grantType == "" {
		cfg.grantType = "authorization_code" // Postman's default grant
	}
	var extra []struct {
		Key     string `json:"key"`
		Value   any    `json:"value"`
		Enabled *bool  `json:"enabled"`
		SendAs  string `json:"send_as"`
	}
	if raw, ok := settings["tokenRequestParams"]; ok {
		_ = json.Unmarshal(raw, &extra)
	}
	for _, e := range extra {
		if e.Enabled != nil && !*e.Enabled {
			continue
		}
		in := "body"
		switch e.SendAs {
		case "request_header":
			in = "header"
		case "request_url":
			in = "query"
		}
		cfg.params = append(cfg.params, param{key: e.Key, value: scalar(e.Value), in: in})
	}
	name := profileName(w.collection, path...)
	if tn := strings.TrimSpace(settings.str("tokenName")); tn != "" && len(path) == 0 {
		name = profileName(w.collection, tn)
	}
	cand, skip := cfg.candidate(name, from, w.vars)
	if skip != nil {
		w.result.Skipped = append(w.result.Skipped, *skip)
		return
	}
	w.result.Candidates = append(w.result.Candidates, cand)
}

// postmanSettings reads the oauth2 settings: a [{key, value}] array in
// v2.1, an object in v2.0.
type rawSettings map[string]json.RawMessage

func postmanSettings(raw json.RawMessage) (rawSettings, error) {
	s := rawSettings{}
	trimmed := strings.TrimSpace(string(raw))
	switch {
	case strings.HasPrefix(trimmed, "["):
		var list []struct {
			Key   string          `json:"key"`
			Value json.RawMessage `json:"value"`
		}
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, fmt.Errorf("oauth2 settings are not a [{key, value}] list: %w", err)
		}
		for _, kv := range list {
			s[kv.Key] = kv.Value
		}
	case strings.HasPrefix(trimmed, "{"):
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("oauth2 settings are not an object: %w", err)
		}
	default:
		return nil, errors.New("oauth2 auth without settings")
	}
	return s, nil
}

func (s rawSettings) str(key string) string {
	raw, ok := s[key]
	if !ok {
		return ""
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	return scalar(v)
}

// scalar renders a JSON scalar as text; other values are "".
func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool, float64:
		return fmt.Sprint(x)
	}
	return ""
}
