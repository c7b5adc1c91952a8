package tokens

import (
	"errors"
	"testing"
)

// terminalControls are values that act on a terminal when printed: OSC 52
// (writes the clipboard), an OSC title, a screen clear, hidden text, the
// end of a bracketed paste (what follows runs as typed), a C1 CSI, a bare
// CR, a NUL, DEL, a bidi override and a tab.
var terminalControls = map[string]string{
	"OSC 52":              "a\x1b]52;c;ZWNobyBwd25lZA==\x07b",
	"OSC title":           "a\x1b]0;pwned\x07b",
	"screen clear":        "a\x1b[2J\x1b[Hb",
	"hidden text":         "a\x1b[8mhidden\x1b[0mb",
	"bracketed paste end": "a\x1b[201~; touch pwned\nb",
	"C1 CSI":              "a\u009b2Jb",
	"carriage return":     "a\rb",
	"NUL":                 "a\x00b",
	"DEL":                 "a\x7fb",
	"bidi override":       "a\u202eb",
	"tab":                 "a\tb",
}

// TestValidateRefusesControlCharactersInParamsAndHeaders: extra parameter
// names and values and header values are shown (list, import table, curl
// command, request log) and sent; a control character in them reached
// the terminal. Parameters follow the one printable rule (CheckPrintable),
// header values also httpguts.ValidHeaderFieldValue.
func TestValidateRefusesControlCharactersInParamsAndHeaders(t *testing.T) {
	base := Profile{Name: "api", TokenURL: "https://auth.example.com/token", ClientID: "c", ClientSecret: "s"}
	if err := base.Validate(); err != nil {
		t.Fatal(err)
	}
	for what, v := range terminalControls {
		for _, tc := range []struct {
			where, field string
			set          func(p *Profile)
		}{
			{"param value", FieldParams, func(p *Profile) { p.Params = map[string]string{"tenant": v} }},
			{"param name", FieldParams, func(p *Profile) { p.Params = map[string]string{v: "x"} }},
			{"header value", FieldHeaders, func(p *Profile) { p.Headers = map[string]string{"X-Tenant": v} }},
			{"secret-named header value", FieldHeaders, func(p *Profile) { p.Headers = map[string]string{"X-Api-Key": v} }},
		} {
			p := base
			tc.set(&p)
			var ve *ValidationError
			if err := p.Validate(); !errors.As(err, &ve) || !hasField(ve, tc.field) {
				t.Errorf("%s in a %s: Validate() = %v, want a problem with %s", what, tc.where, err, tc.field)
			}
		}
	}
	ok := base
	ok.Params = map[string]string{"tenant": "Zürich-1 ü", "claims": `{"a":"b"}`}
	ok.Headers = map[string]string{"X-Tenant": "café, olé; q=0.5", "X-Empty": ""}
	if err := ok.Validate(); err != nil {
		t.Errorf("printable params and headers refused: %v", err)
	}
}

func hasField(ve *ValidationError, field string) bool {
	for _, f := range ve.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}
