package ui

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// The form's live validation: once a check has shown problems, each edit
// checks again, and a message goes as soon as its field is fixed (new
// problems wait for the next Save or Test, so typing is not scolded).
// Problems are worded with the widgets' own words.

// problems is every problem with the form's content, by tokens.Field*
// name, worded for the form.
func (f *profileForm) problems() (tokens.Profile, map[string]string) {
	p, problems := f.values().profile()
	var ve *tokens.ValidationError
	if err := p.Validate(); errors.As(err, &ve) {
		for _, fe := range ve.Fields {
			if _, ok := problems[fe.Field]; !ok {
				problems[fe.Field] = fe.Problem
			}
		}
	}
	if n := p.Normalized().Name; n != "" && n != f.original && f.ctl.snap != nil {
		if _, taken := f.ctl.snap.Find(n); taken {
			problems[tokens.FieldName] = "is already used by another profile"
		}
	}
	for k, v := range problems {
		problems[k] = widgetWords(v)
	}
	return p, problems
}

// watchChanges makes every input re-check the form when it changes.
func (f *profileForm) watchChanges() {
	for _, e := range []*escEntry{f.name, f.tokenURL, f.issuerURL, f.clientID, f.secret, f.keyID,
		f.scopes, f.audience, f.resource, f.introspectionURL, f.revocationURL, f.params, f.headers, f.lead, f.assumed} {
		e.OnChanged = func(string) { f.revalidate() }
	}
	for _, s := range []*escSelect{f.endpoint, f.auth, f.alg, f.body} {
		prev := s.OnChanged
		s.OnChanged = func(v string) {
			if prev != nil {
				prev(v)
			}
			f.revalidate()
		}
	}
}

// revalidate clears the messages of fields that became valid and updates
// those still wrong; it adds none and moves no focus.
func (f *profileForm) revalidate() {
	if f.grid == nil || f.closed {
		return
	}
	_, problems := f.problems()
	shown := 0
	for field, l := range f.errs {
		if !l.Visible() {
			continue
		}
		if msg, bad := problems[field]; bad {
			setText(l, explain.WithPeriod(explain.FieldProblem(field, msg)))
			shown++
		} else {
			f.showFieldError(field, "")
		}
	}
	if !f.summary.Visible() || f.saving {
		return
	}
	switch shown {
	case 0:
		f.summary.Hide()
	case 1:
		f.summary.SetText("Please correct the field marked in red.")
	default:
		f.summary.SetText("Please correct the " + strconv.Itoa(shown) + " fields marked in red.")
	}
}

// widgetWords replaces the protocol's names of auth methods in a message
// with the words the form's dropdown shows.
func widgetWords(msg string) string {
	msg = strings.ReplaceAll(msg, "for HS256 ("+string(tokens.AuthClientSecretJWT)+")",
		"for “"+explain.AuthMethod(tokens.AuthClientSecretJWT)+"”")
	for _, m := range tokens.AuthMethods {
		msg = strings.ReplaceAll(msg, string(m), "“"+explain.AuthMethod(m)+"”")
	}
	return msg
}

// testFailedWarning is the warning to show after saving values a Test
// failed with, or "" when the last Test of these values did not fail.
func (f *profileForm) testFailedWarning() string {
	if f.lastTest == nil || f.lastTest.err == nil || f.lastTest.values != f.values() {
		return ""
	}
	msg := "Saved, but the last Test of these settings failed: " + explain.WithPeriod(explain.Error(f.lastTest.err))
	if tokens.Classify(f.lastTest.err) == tokens.Permanent {
		// The engine stops after such an error; do not promise retries.
		return msg + " Retrying cannot fix this, so automatic refresh stops until you change the settings or use Refresh now."
	}
	return msg + " Tokentray keeps trying; check the settings if it keeps failing."
}

// testOutcome is what the last Test ran with and how it ended.
type testOutcome struct {
	values formValues
	err    error
}

// savedWarning shows, in the details pane of the profile just saved, the
// warning that its last Test failed ("" shows nothing).
func (m *manageWindow) savedWarning(name, warning string) {
	if warning == "" || m.details.name != name {
		return
	}
	m.details.say(statusMsg{title: warning, kind: msgWarning, until: m.ctl.now().Add(2 * time.Minute)})
}
