package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens/testenv"
)

// The window's Import… reads a Tokentray export through ReadExport: an
// export without secrets plans as "replaces" with the stored secret kept
// for the same client, and as "to be given" for a new profile; a file over
// the import limit is refused by its size; another tool's file is not an
// export.
func TestReadExportPlansLikeImport(t *testing.T) {
	h := newHarness(t)
	h.mustRun(secret+"\n", "add", "kept", "--token-url", "https://auth.example.com/token", "--client-id", "c1")
	dir := testenv.TempDir(t)
	path := filepath.Join(dir, "export.json")
	h.mustRun("", "export", path)
	// A second profile the store lacks, as if exported elsewhere.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	two := strings.Replace(string(data), `"profiles": [`, `"profiles": [
    {"name": "new-one", "token_url": "https://auth.example.com/token", "client_id": "c2", "auth": "client_secret_basic"},`, 1)
	if err := os.WriteFile(path, []byte(two), 0o600); err != nil {
		t.Fatal(err)
	}

	res, err := ReadExport(path)
	if err != nil || res.Format != ExportSource || len(res.Candidates) != 2 {
		t.Fatalf("ReadExport: %v, %+v", err, res)
	}
	existing, _, _ := h.store.Load(context.Background())
	plan := PlanImport(res, existing, true)
	rows := map[string]ImportRow{}
	for _, r := range plan.Rows {
		rows[r.Profile.Name] = r
	}
	if r := rows["kept"]; r.Action != ImportReplace || r.Profile.ClientSecret != secret || r.SecretMissing != "" {
		t.Errorf("stored profile: %+v", r)
	}
	if r := rows["new-one"]; r.Action != ImportNew || r.SecretMissing == "" || r.Profile.ClientSecret != "" {
		t.Errorf("new profile without a secret: %+v", r)
	}

	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, MaxImportBytes+1); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadExport(big); err == nil || !strings.Contains(err.Error(), "larger than the import limit") {
		t.Errorf("oversized export: %v", err)
	}
	if _, err := ReadExport(filepath.Join("..", "..", "tokens", "importers", "testdata", "postman", "Oauth2.postman_collection.json")); err == nil {
		t.Error("a Postman collection was read as a Tokentray export")
	}
}
