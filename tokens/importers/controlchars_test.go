package importers

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/testenv"
)

// terminalControls act on a terminal when printed: OSC 52 (writes the
// clipboard), an OSC title, a screen clear, and the end of a bracketed
// paste (what follows runs as typed).
var terminalControls = []string{
	"a\x1b]52;c;ZWNobyBwd25lZA==\x07b",
	"a\x1b]0;pwned\x07b",
	"a\x1b[2J\x1b[Hb",
	"a\x1b[201~touch pwned b",
}

// TestImportRefusesControlCharactersInParamsAndHeaders: an extra parameter
// or header whose name or value holds a terminal control sequence, from
// any importer, plans as not importable (it was imported, and reached the
// terminal in list, curl and the request log).
func TestImportRefusesControlCharactersInParamsAndHeaders(t *testing.T) {
	for i, v := range terminalControls {
		cases := map[string]*Result{
			"export, param value":  exportWith(t, map[string]string{"tenant": v}, nil),
			"export, param name":   exportWith(t, map[string]string{v: "x"}, nil),
			"export, header value": exportWith(t, nil, map[string]string{"X-Tenant": v}),
			"postman, body param":  postmanWith(t, "request_body", "tenant", v),
			"postman, header":      postmanWith(t, "request_header", "X-Tenant", v),
			"bruno, body param":    brunoWith(t, "body", "tenant: "+v),
			"bruno, header":        brunoWith(t, "headers", "X-Tenant: "+v),
		}
		for what, res := range cases {
			plan, err := NewPlan(res, nil, false)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range plan.Rows {
				if r.Action.Importable() {
					t.Errorf("sequence %d, %s: %q is importable with params %q, headers %q", i, what, r.Profile.Name, r.Profile.Params, r.Profile.Headers)
				}
			}
			if len(plan.Rows) == 0 {
				t.Errorf("sequence %d, %s: no row: %+v", i, what, res)
			}
		}
	}
}

func exportWith(t *testing.T, params, headers map[string]string) *Result {
	p := tokens.Profile{Name: "api", TokenURL: "https://auth.example.com/token", ClientID: "c", ClientSecret: "s", Params: params, Headers: headers}
	f := NewExport([]tokens.Profile{p}, true, time.Unix(1_800_000_000, 0))
	return mustRead(t, Tokentray, writeExport(t, f), "")
}

func postmanWith(t *testing.T, sendAs, key, value string) *Result {
	path := filepath.Join(testenv.TempDir(t), "c.postman_collection.json")
	doc := fmt.Sprintf(`{"info":{"name":"C","schema":"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
	  "item":[{"name":"r","request":{"url":"https://x","auth":{"type":"oauth2","oauth2":[
	    {"key":"grant_type","value":"client_credentials"},{"key":"accessTokenUrl","value":"https://auth.example.com/token"},
	    {"key":"clientId","value":"c"},{"key":"clientSecret","value":"s"},
	    {"key":"tokenRequestParams","value":[{"key":%s,"value":%s,"send_as":%s}]}]}}}]}`, jsonText(key), jsonText(value), jsonText(sendAs))
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	return mustRead(t, Postman, path, "")
}

func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func brunoWith(t *testing.T, block, line string) *Result {
	dir := testenv.TempDir(t)
	if err := os.WriteFile(filepath.Join(dir, "bruno.json"), []byte(`{"version":"1","name":"C","type":"collection"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	bru := strings.Join([]string{"meta {", "  name: r", "  type: http", "}", "", "get {", "  url: https://x", "  auth: oauth2", "}", "",
		"auth:oauth2 {", "  grant_type: client_credentials", "  access_token_url: https://auth.example.com/token",
		"  client_id: c", "  client_secret: s", "}", "",
		"auth:oauth2:additional_params:access_token_req:" + block + " {", "  " + line, "}", ""}, "\n")
	if err := os.WriteFile(filepath.Join(dir, "r.bru"), []byte(bru), 0o600); err != nil {
		t.Fatal(err)
	}
	return mustRead(t, Bruno, dir, "")
}
