package tokens

import (
	"context"
	"slices"
	"testing"
)

// A profile from an export made without secrets has its credential-named
// headers and parameters with empty values: a draft, like one without its
// client secret. It is saved, and refused as a complete profile.
func TestBlankCredentialsMakeADraft(t *testing.T) {
	p := Profile{Name: "api-key", TokenURL: "https://auth.example.com/token", ClientID: "c", ClientSecret: "s",
		Headers: map[string]string{"X-Api-Key": "", "X-Tenant": "acme"},
		Params:  map[string]string{"api_key": "", "team": "blue"}}
	headers, params := p.BlankCredentials()
	if !slices.Equal(headers, []string{"X-Api-Key"}) || !slices.Equal(params, []string{"api_key"}) {
		t.Fatalf("blank credentials %q %q", headers, params)
	}
	if err := p.Validate(); err == nil {
		t.Fatal("a profile with a blank credential header validates as complete")
	}
	if err := p.ValidateDraft(); err != nil {
		t.Fatalf("ValidateDraft: %v", err)
	}
	// A blank value whose name is no credential's is not a draft's gap.
	q := p
	q.Headers = map[string]string{"X-Tenant": ""}
	q.Params = nil
	if h, ps := q.BlankCredentials(); len(h)+len(ps) != 0 {
		t.Fatalf("X-Tenant counted as a credential: %q %q", h, ps)
	}
	st := NewMemoryStore()
	m := NewManager(ManagerOptions{Store: st})
	defer m.Close()
	if err := m.SaveDraft(context.Background(), p); err != nil {
		t.Fatalf("SaveDraft: %v", err)
	}
	if err := m.SaveProfile(context.Background(), "", p); err == nil {
		t.Fatal("SaveProfile took a profile with a blank credential header")
	}
}

// A draft of every authentication method that uses a secret validates
// without it: client_secret_jwt's 32-byte minimum included (the
// placeholder was 26 bytes).
func TestDraftOfEveryMethodWithoutItsSecret(t *testing.T) {
	for _, m := range AuthMethods {
		if !m.UsesSecret() {
			continue
		}
		p := Profile{Name: "d", TokenURL: "https://auth.example.com/token", ClientID: "c", Auth: m}
		if err := p.ValidateDraft(); err != nil {
			t.Errorf("%s: %v", m, err)
		}
	}
}
