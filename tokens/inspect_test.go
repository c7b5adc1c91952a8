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
	p.IntrospectionURL, p.RevocationURL = "http://127.0.0.1:9/i", "https://auth.example.com/r"
	if err := p.Validate(); err != nil {
		t.Errorf("good URLs refused: %v", err)
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
