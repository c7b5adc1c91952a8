package tokens

import (
	"errors"
	"testing"
)

// A token and the client's credentials go to these URLs: plain http only
// on loopback, as for the token URL.
func TestInspectionURLsAreChecked(t *testing.T) {
	for _, field := range []string{FieldIntrospectionURL, FieldRevocationURL} {
		p := profile("a")
		bad := "http://auth.example.com/x"
		if field == FieldIntrospectionURL {
			p.IntrospectionURL = bad
		} else {
			p.RevocationURL = bad
		}
		var ve *ValidationError
		if err := p.Validate(); !errors.As(err, &ve) || ve.Field(field) == nil {
			t.Errorf("%s %s: Validate = %v", field, bad, err)
		}
	}
	p := profile("a")
	p.IntrospectionURL, p.RevocationURL = "https://AUTH.example.com:443/i", "https://auth.example.com/r"
	if err := p.Validate(); err != nil {
		t.Errorf("good URLs refused: %v", err)
	}
}

// Introspection and revocation URLs set on a profile receive the client's
// credentials, so they follow the origin rule of discovered endpoints: the
// token URL's or issuer's origin, or one the profile allows. (Before, any
// https URL passed, so an import could send the secret anywhere.)
func TestInspectionURLsFollowTheOriginRule(t *testing.T) {
	for _, tc := range []struct {
		name    string
		set     func(p *Profile)
		field   string // refused field; "" for accepted
		allowed []string
	}{
		{"introspection elsewhere", func(p *Profile) { p.IntrospectionURL = "https://evil.example/i" }, FieldIntrospectionURL, nil},
		{"revocation elsewhere", func(p *Profile) { p.RevocationURL = "https://evil.example/r" }, FieldRevocationURL, nil},
		{"another port", func(p *Profile) { p.RevocationURL = "https://auth.example.com:8443/r" }, FieldRevocationURL, nil},
		{"plain http on the token URL's host", func(p *Profile) { p.TokenURL = "http://127.0.0.1:9/t"; p.IntrospectionURL = "http://127.0.0.2:9/i" }, FieldIntrospectionURL, nil},
		{"allowed origin", func(p *Profile) { p.IntrospectionURL = "https://evil.example/i" }, "", []string{"https://evil.example"}},
		{"issuer's origin", func(p *Profile) {
			p.TokenURL, p.IssuerURL, p.IntrospectionURL = "", "https://login.example.com/realms/x", "https://login.example.com/i"
		}, "", nil},
		{"not the issuer's origin", func(p *Profile) {
			p.TokenURL, p.IssuerURL, p.IntrospectionURL = "", "https://login.example.com/realms/x", "https://auth.example.com/i"
		}, FieldIntrospectionURL, nil},
	} {
		p := profile("a")
		tc.set(&p)
		p.EndpointOrigins = tc.allowed
		err := p.Validate()
		var ve *ValidationError
		var oe *OriginError
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.field != "" && (!errors.As(err, &ve) || ve.Field(tc.field) == nil || !errors.As(err, &oe) || !oe.Configured || oe.What != tc.field):
			t.Errorf("%s: Validate = %v, want %s refused with an *OriginError", tc.name, err, tc.field)
		}
	}
}

func TestVerificationVerdict(t *testing.T) {
	v := func(vs ...Verdict) *Verification {
		out := &Verification{}
		for _, x := range vs {
			out.Checks = append(out.Checks, Check{Verdict: x})
		}
		return out
	}
	for _, tc := range []struct {
		v    *Verification
		want Verdict
	}{
		{nil, VerdictUnchecked},
		{v(), VerdictUnchecked},
		{v(VerdictValid, VerdictSkipped), VerdictValid},
		{v(VerdictValid, VerdictUnchecked), VerdictUnchecked},
		{v(VerdictUnchecked, VerdictInvalid), VerdictInvalid},
		{v(VerdictSkipped), VerdictUnchecked},
	} {
		if got := tc.v.Verdict(); got != tc.want {
			t.Errorf("%+v: %s, want %s", tc.v, got, tc.want)
		}
	}
}
