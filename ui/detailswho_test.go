package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
)

// shownText is the text of every label shown in o (hidden subtrees left
// out), one per line.
func shownText(o fyne.CanvasObject) string {
	var lines []string
	var visit func(o fyne.CanvasObject)
	visit = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *widget.Label:
			lines = append(lines, x.Text)
		case *valueLabel:
			lines = append(lines, x.Text)
		case *fyne.Container:
			for _, c := range x.Objects {
				visit(c)
			}
		case *container.Scroll:
			visit(x.Content)
		}
	}
	visit(o)
	return strings.Join(lines, "\n")
}

// The details of a profile someone signed in to with OpenID Connect show
// who: the name, username and email, the subject, the issuer and when
// they signed in (local time), each claim without the control and bidi
// characters a server could put in it. Not while sign-in is needed, and
// not for a profile without an ID token. (Failed first: no such section.)
func TestDetailsShowWhoSignedIn(t *testing.T) {
	eng := &signingEngine{fakeEngine: newFakeEngine()}
	h := newHarness(t, Options{Engine: eng, SignIn: &fakeSigner{}})
	tok := token("user-access", t0, time.Hour)
	authAt := t0.Add(-2 * time.Hour)
	tok.ID = &tokens.IDClaims{Issuer: "https://login.example.com/\u202erealm", Subject: "user-42",
		Name: "Ada \u202eLovelace\x1b[2J", PreferredUsername: "ada", Email: "ada@example.com", AuthTime: authAt, Nonce: "n-0S6_WzA2Mj"}
	signed := tokens.ProfileState{Profile: deviceProfile("dev"), Token: tok}
	h.c.deliver(eng.publish(t0, signed, freshState("svc", token("A", t0, time.Hour))))
	h.settle()
	h.c.showDetails("dev")
	h.settle()
	d := h.c.win.details
	shown := shownText(d.content)
	for _, want := range []string{"Signed in as", "Ada Lovelace (ada · ada@example.com)", "user-42",
		"https://login.example.com/realm", localTimeRel(authAt, t0)} {
		if !strings.Contains(shown, want) {
			t.Errorf("the details do not show %q:\n%s", want, shown)
		}
	}
	h.c.win.win.Resize(fyne.NewSize(980, 660))
	saveScreenshot(t, h.c.win.win, "details-signed-in-as.png")
	if strings.ContainsAny(shown, "\u202e\x1b") || strings.Contains(shown, "n-0S6_WzA2Mj") {
		t.Errorf("the details show a control character or the nonce:\n%q", shown)
	}

	// The session ended: no one is signed in now.
	signed.LastError = &tokens.SignInNeededError{Profile: "dev", Reason: tokens.ReasonSessionEnded}
	h.c.deliver(eng.publish(t0, signed, freshState("svc", token("A", t0, time.Hour))))
	h.settle()
	if shown := shownText(d.content); strings.Contains(shown, "Signed in as") || strings.Contains(shown, "Lovelace") {
		t.Errorf("a sign-in-needed profile shows who was signed in:\n%s", shown)
	}
	h.c.showDetails("svc")
	h.settle()
	if shown := shownText(d.content); strings.Contains(shown, "Signed in as") {
		t.Errorf("a client credentials profile shows who signed in:\n%s", shown)
	}
}

// Who signed in reads well whatever the server sent: the username and
// email only when they add something, the subject alone when nothing else.
func TestSignedInRowsWithFewClaims(t *testing.T) {
	for _, c := range []struct {
		id   tokens.IDClaims
		want string
	}{
		{tokens.IDClaims{Subject: "user-42"}, "user-42"},
		{tokens.IDClaims{Subject: "s", Email: "ada@example.com", PreferredUsername: "ada@example.com"}, "ada@example.com"},
		{tokens.IDClaims{Subject: "s", Name: "Ada", PreferredUsername: "Ada"}, "Ada"},
		{tokens.IDClaims{Subject: "s", Name: " ", PreferredUsername: "ada"}, "ada"},
	} {
		tok := token("A", t0, time.Hour)
		tok.ID = &c.id
		rows := signedInRows(&tokens.ProfileState{Profile: deviceProfile("dev"), Token: tok}, t0)
		if len(rows) == 0 || rows[0].Value != c.want {
			t.Errorf("%+v: rows %+v, want %q first", c.id, rows, c.want)
		}
		for _, r := range rows {
			if r.Key == "Signed in" {
				t.Errorf("%+v: a sign-in time without auth_time: %+v", c.id, r)
			}
		}
	}
}
