package importers

import (
	"net/url"
	"strings"

	"github.com/tokentray/tokentray/tokens"
)

// oauthConfig is one OAuth 2.0 configuration as the sources store it,
// variables still unresolved.
type oauthConfig struct {
	grantType    string
	tokenURL     string
	clientID     string
	clientSecret string
	scope        string
	audience     string
	resource     string
	inBody       bool    // client credentials in the body (client_secret_post)
	params       []param // extra token request parameters
	// The authorization code grant's (signinconfig.go).
	authURL     string // the authorization endpoint
	callbackURL string // the redirect URI the source registered
	pkce        bool   // the source sends a PKCE challenge
}

// param is an extra token request parameter and where it goes.
type param struct {
	key, value string
	in         string // "body", "header" or "query"
}

// reserved reports whether an extra parameter named k, sent in a body,
// header or query, is one the client sets itself (tokens.ReservedParams,
// and scope, which the profile's scopes give). A client_secret there would
// otherwise reach the token URL, shown in lists and errors.
func reserved(k string) bool {
	return tokens.IsReservedParam(k) || strings.EqualFold(k, "scope")
}

// candidate converts c into a profile named name, resolving variables with
// vars. secretVars are variable names whose values the source keeps
// elsewhere (Bruno's vars:secret).
func (c oauthConfig) candidate(name, from string, vars resolver) (Candidate, *Skipped) {
	grant, pkce, ok := importedGrant(c.grantType)
	if !ok {
		return Candidate{}, &Skipped{Origin: from, Code: SkipGrant, Grant: tokens.Printable(c.grantType, 60)}
	}
	c.pkce = c.pkce || pkce
	cand := Candidate{Origin: from}
	// Each field is filled in up to its own size limit.
	res := func(field, param, v string, limit int) string {
		e := vars.resolve(v, limit)
		cand.Problems = append(cand.Problems, e.problems(field, param)...)
		return strings.TrimSpace(e.value)
	}
	p := tokens.Profile{Name: name, Grant: grant}
	p.TokenURL = res(tokens.FieldTokenURL, "", c.tokenURL, tokens.MaxURLLen)
	p.ClientID = res(tokens.FieldClientID, "", c.clientID, tokens.MaxClientIDLen)
	// A secret the source keeps elsewhere, or whose variable has no value,
	// is asked for: never stored as the literal "{{name}}".
	if v, ok := vars.secretVar(c.clientSecret); ok {
		cand.SecretMissing = v
	} else if e := vars.resolve(c.clientSecret, tokens.MaxSecretLen); e.problem != nil {
		cand.Problems = append(cand.Problems, e.problems(tokens.FieldClientSecret, "")...)
	} else if len(e.missing) > 0 {
		cand.SecretMissing = e.missing[0]
	} else if p.ClientSecret = strings.TrimSpace(e.value); p.ClientSecret == "" && !c.publicClient(grant) {
		cand.SecretMissing = "client secret"
	}
	p.Scopes = strings.Fields(res(tokens.FieldScopes, "", c.scope, tokens.MaxScopes*(tokens.MaxScopeLen+1)))
	p.Audience = res(tokens.FieldAudience, "", c.audience, tokens.MaxValueLen)
	p.Resource = res(tokens.FieldResource, "", c.resource, tokens.MaxValueLen)
	switch {
	case p.ClientSecret == "" && cand.SecretMissing == "" && c.publicClient(grant):
		p.Auth = tokens.AuthNone
	case c.inBody:
		p.Auth = tokens.AuthClientSecretPost
	}
	if grant == tokens.GrantAuthorizationCode {
		p.AuthorizationURL = res(tokens.FieldAuthorizationURL, "", c.authURL, tokens.MaxURLLen)
		if p.AuthorizationURL == "" {
			cand.Problems = append(cand.Problems, Problem{Code: ProblemMissing, Field: tokens.FieldAuthorizationURL})
		}
		p.RedirectPort, cand.Notes = c.redirectPort(vars, cand.Notes)
	}
	var query url.Values
	for _, pr := range c.params {
		k, v := strings.TrimSpace(res(tokens.FieldParams, "", pr.key, tokens.MaxParamLen)), res(tokens.FieldParams, tokens.Printable(pr.key, 60), pr.value, tokens.MaxParamLen)
		switch {
		case k == "":
			continue
		case reserved(k):
			cand.Notes = append(cand.Notes, Note{Code: NoteReservedParam, Param: k})
		case pr.in == "header":
			if p.Headers == nil {
				p.Headers = map[string]string{}
			}
			p.Headers[k] = v
		case pr.in == "query":
			if query == nil {
				query = url.Values{}
			}
			query.Add(k, v)
		case k == "audience" && p.Audience == "":
			p.Audience = v
		case k == "resource" && p.Resource == "":
			p.Resource = v
		default:
			if p.Params == nil {
				p.Params = map[string]string{}
			}
			p.Params[k] = v
		}
	}
	if query != nil {
		if u, err := url.Parse(p.TokenURL); err == nil && p.TokenURL != "" {
			q := u.Query()
			for k, vs := range query {
				for _, v := range vs {
					q.Add(k, v)
				}
			}
			u.RawQuery = q.Encode()
			p.TokenURL = u.String()
			cand.Notes = append(cand.Notes, Note{Code: NoteQueryInURL})
		}
	}
	if p.TokenURL == "" {
		cand.Problems = append(cand.Problems, Problem{Code: ProblemMissing, Field: tokens.FieldTokenURL})
	}
	if p.ClientID == "" {
		cand.Problems = append(cand.Problems, Problem{Code: ProblemMissing, Field: tokens.FieldClientID})
	}
	cand.Profile = p
	return cand, nil
}
