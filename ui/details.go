package ui

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"

	"github.com/tokentray/tokentray/ui/kit"
)

// detailsPane shows one profile: countdown, token (masked unless revealed),
// times, warnings, the last error, the decoded JWT and the settings, with
// Copy / Copy as header / Refresh now / Edit / Delete. It keeps handles to
// its widgets for tests. Touch it only on the UI goroutine.
type detailsPane struct {
	ctl  *controller
	name string               // profile shown; "" for none
	ps   *tokens.ProfileState // its state as last shown (in the controller's snapshot); nil for none

	root    *fyne.Container
	empty   *widget.Label
	content *fyne.Container
	scroll  *container.Scroll // the sections under the buttons

	title     *widget.Label
	status    *widget.Label
	countdown *clockText // drawn glyph by glyph: it changes every second
	bar       *lifeBar

	copyBtn, headerBtn, refreshBtn, editBtn, deleteBtn *escButton
	signInBtn, signOutBtn, signInAgainBtn              *escButton // for a profile a person signs in to (detailssignin.go)
	busy                                               *widget.Activity
	message                                            *widget.Label // outcome of the last action
	msg                                                *statusMsg    // what message shows; nil when hidden

	token     *widget.Label
	revealBtn *escButton
	revealed  bool
	tokenInfo *kvGrid

	timing   *kvGrid
	who      *kvGrid  // who signed in (detailswho.go)
	whoSec   *section // its section; hidden when no one did
	warnSec  *section
	warnings *widget.Label
	errSec   *section
	errText  *widget.Label
	errInfo  *kvGrid

	jwtSec  *section
	jwtNote *widget.Label
	header  *kvGrid
	claims  *kvGrid
	profile *kvGrid

	requests *requestsSection // the request log and Copy as curl (requestlog.go)
	inspect  *inspectView     // Verify, Introspect, Revoke (inspectview.go)

	jwtFor *tokens.Token // token the cached decode belongs to
	jwt    *tokens.JWTInfo
	jwtErr error
}

func newDetailsPane(c *controller) *detailsPane {
	d := &detailsPane{ctl: c}
	esc := func() { c.win.escape() } // Fyne gives Escape to the focused button only
	d.empty = widget.NewLabel("Select a profile to see its token.")
	d.empty.Alignment = fyne.TextAlignCenter
	d.empty.Importance = widget.LowImportance

	d.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.title.SizeName = theme.SizeNameSubHeadingText
	d.title.Truncation = fyne.TextTruncateEllipsis
	d.status = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	// Regular and bold text only (buttons use bold anyway): Fyne loads each
	// text style's fonts, its emoji font included, separately (~7 MB each).
	// Noto Sans digits are tabular, so the countdown does not jitter.
	d.countdown = newClockText(fyne.TextAlignLeading)
	d.countdown.SizeName = theme.SizeNameSubHeadingText
	d.bar = newLifeBar(8)

	d.copyBtn = newEscButton("Copy token", theme.ContentCopyIcon(), func() { d.copy(copyRaw) }, esc)
	d.copyBtn.Importance = widget.HighImportance
	d.headerBtn = newEscButton("Copy as header", theme.ContentCopyIcon(), func() { d.copy(copyHeader) }, esc)
	d.refreshBtn = newEscButton("Refresh now", theme.ViewRefreshIcon(), d.refresh, esc)
	d.editBtn = newEscButton("Edit…", theme.DocumentCreateIcon(), func() { c.win.editProfile(d.name) }, esc)
	d.deleteBtn = newEscButton("Delete…", theme.DeleteIcon(), func() { c.win.confirmDelete(d.name) }, esc)
	d.newSignInButtons(esc)
	d.busy = widget.NewActivity()
	d.busy.Hide()
	d.message = newWrapped(widget.MediumImportance)
	d.message.Hide()

	d.token = widget.NewLabel("")
	d.token.Wrapping = fyne.TextWrapBreak
	d.revealBtn = newEscButton("Reveal", theme.VisibilityIcon(), d.toggleReveal, esc)
	d.tokenInfo = newKVGrid(esc)
	tokenSec := newSection("Access token",
		container.NewBorder(nil, nil, nil, container.NewVBox(d.revealBtn), d.token), d.tokenInfo.box)

	d.timing = newKVGrid(esc)
	timingSec := newSection("Timing", d.timing.box)

	d.warnings = newWrapped(widget.WarningImportance)
	d.warnSec = newSection("Warnings", d.warnings)

	d.errText = newWrapped(widget.DangerImportance)
	d.errInfo = newKVGrid(esc)
	d.errSec = newSection("Last error", d.errText, d.errInfo.box)

	d.jwtNote = newWrapped(widget.LowImportance)
	d.header = newKVGrid(esc)
	d.claims = newKVGrid(esc)
	headerTitle := widget.NewLabel("Header")
	headerTitle.Importance = widget.LowImportance
	claimsTitle := widget.NewLabel("Claims")
	claimsTitle.Importance = widget.LowImportance
	d.jwtSec = newSection("Decoded token (not verified)", d.jwtNote, claimsTitle, d.claims.box, headerTitle, d.header.box)

	d.profile = newKVGrid(esc)
	profileSec := newSection("Profile", d.profile.box)
	d.requests = newRequestsSection(d, esc)
	d.inspect = newInspectView(c, esc)

	buttons := &kit.WrapLayout{}
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, d.status, d.title),
		d.countdown,
		d.bar,
		// Wraps onto a second row in a narrow window instead of overlapping.
		container.New(buttons, d.signInBtn, d.copyBtn, d.headerBtn, d.refreshBtn, d.editBtn, d.deleteBtn, d.signOutBtn, d.signInAgainBtn, d.busy),
		d.message,
		widget.NewSeparator(),
	)
	d.scroll = container.NewVScroll(container.NewPadded(container.NewVBox(
		d.errSec.box, d.warnSec.box, d.newWhoSection(esc).box, tokenSec.box, timingSec.box, d.requests.sec.box, d.inspect.sec.box, d.inspect.introSec.box, d.jwtSec.box, profileSec.box,
	)))
	paddedTop := container.NewPadded(top)
	d.content = container.NewBorder(paddedTop, nil, nil, nil, d.scroll)
	inReadingOrder(d.content, paddedTop, d.scroll)
	// After the layout pass under way, which placed the rest for the old height.
	buttons.Relayout = func() { c.ui(d.content.Refresh) }
	d.root = container.NewStack(container.NewCenter(d.empty), d.content)
	d.content.Hide()
	return d
}

// show displays the named profile from the snapshot at now; an unknown or
// empty name shows the placeholder.
func (d *detailsPane) show(name string, snap *tokens.Snapshot, now time.Time) {
	if name != d.name {
		d.name = name
		d.revealed = false
		d.hideMessage()
		d.busy.Stop()
		d.busy.Hide()
		d.refreshBtn.Enable()
		d.scroll.ScrollToTop() // a profile opens at its top, its last error first
	}
	var ps *tokens.ProfileState
	if snap != nil && name != "" {
		ps, _ = snap.Find(name)
	}
	d.ps = ps
	if ps == nil {
		d.content.Hide()
		d.empty.Show()
		return
	}
	d.empty.Hide()
	d.content.Show()
	d.update(ps, now)
}

// tick rewrites what changes with the clock alone (see updateClock); the
// window calls it every second while shown.
func (d *detailsPane) tick(now time.Time) {
	if d.ps != nil {
		d.updateClock(d.ps, now)
	}
}

// update rewrites every value; labels whose text is unchanged are left
// alone. It runs when the snapshot or the selection changes.
func (d *detailsPane) update(ps *tokens.ProfileState, now time.Time) {
	setText(d.title, ps.Profile.Name)
	hasToken := ps.Token != nil && ps.Token.AccessToken != ""
	if hasToken {
		tok := ps.Token
		if d.revealed {
			setText(d.token, tok.AccessToken)
			if d.revealBtn.Text != "Hide" {
				d.revealBtn.SetText("Hide")
				d.revealBtn.SetIcon(theme.VisibilityOffIcon())
			}
		} else {
			setText(d.token, tokens.MaskToken(tok.AccessToken))
			if d.revealBtn.Text != "Reveal" {
				d.revealBtn.SetText("Reveal")
				d.revealBtn.SetIcon(theme.VisibilityIcon())
			}
		}
		d.revealBtn.Show()
		info := []kv{{Key: "Type", Value: tokenTypeText(tok)}}
		if tok.Scope != "" {
			info = append(info, kv{Key: "Scope granted", Value: tok.Scope})
		}
		d.tokenInfo.set(info)
	} else {
		setText(d.token, "No token yet.")
		if notSignedIn(ps) {
			setText(d.token, explain.NotSignedIn)
		}
		d.revealBtn.Hide()
		d.tokenInfo.set(nil)
	}

	if ps.LastError != nil && !notSignedIn(ps) { // no one signed in: nothing failed
		msg := explain.Sentence(explain.Background(ps.LastError))
		if ps.FailureStreak > 1 {
			msg += " (failed " + strconv.Itoa(ps.FailureStreak) + " times in a row)"
		}
		setText(d.errText, explain.WithPeriod(msg))
		d.errInfo.set(errorRows(ps.LastError))
		d.errSec.setVisible(true)
	} else {
		d.errSec.setVisible(false)
	}

	d.requests.update(ps) // rebuilds only when the log changed
	d.inspect.update(ps)
	d.updateJWT(ps.Token)
	d.profile.set(profileRows(ps.Profile))
	d.updateSignIn(ps)
	d.updateClock(ps, now)
}

// updateClock rewrites what changes with the clock alone: the action
// message's expiry, the status, the countdown and its bar, the times, the
// warnings (their dates) and the decoded token's dates. Unchanged labels
// are left alone, so a tick refreshes only the texts that moved.
func (d *detailsPane) updateClock(ps *tokens.ProfileState, now time.Time) {
	d.expireMessage(ps, now)
	// Copy only what there is; without a valid token, Refresh now is the
	// thing to do (issue 29: Copy was enabled and highlighted).
	valid := ps.Token.ValidFor(now, time.Nanosecond) && ps.Token.AccessToken != ""
	setEnabled(d.copyBtn, valid)
	setEnabled(d.headerBtn, valid)
	copyImp := widget.HighImportance
	if waitsForSignIn(ps) { // Sign in… is the primary
		copyImp = widget.MediumImportance
	}
	if d.copyBtn.Importance != copyImp {
		d.copyBtn.Importance = copyImp
		d.copyBtn.Refresh()
	}
	refreshImp := widget.MediumImportance
	if !valid && !signInNeeded(ps) { // else Sign in… is the thing to do
		refreshImp = widget.HighImportance
	}
	if d.refreshBtn.Importance != refreshImp {
		d.refreshBtn.Importance = refreshImp
		d.refreshBtn.Refresh()
	}
	rs := explain.Describe(ps, now)
	statusImp := statusImportance(rs.Severity)
	if rs.Severity == explain.SeverityOK && rs.HasToken {
		statusImp = widget.SuccessImportance
	}
	setImportance(d.status, statusImp)
	setText(d.status, explain.Sentence(rs.Word))
	d.countdown.SetText(rs.Header)
	d.bar.set(rs.Fraction, statusColour(rs.Severity, rs.HasToken))

	d.timing.set(append(timingRows(ps, now), sessionRows(ps, now)...))
	d.updateWho(ps, now)
	warns := warningLines(ps, now)
	setText(d.warnings, strings.Join(warns, "\n"))
	d.warnSec.setVisible(len(warns) > 0)
	if d.jwt != nil && d.jwtErr == nil && d.jwtFor == ps.Token {
		d.claims.set(claimRows(d.jwt.Claims, now))
	}
}

// updateJWT decodes the token once per token and shows its header; the
// claims, which hold dates, are shown by updateClock.
func (d *detailsPane) updateJWT(tok *tokens.Token) {
	if tok == nil || tok.AccessToken == "" {
		d.jwtSec.setVisible(false)
		return
	}
	if tok != d.jwtFor {
		d.jwtFor = tok
		d.jwt, d.jwtErr = tokens.DecodeJWT(tok.AccessToken)
	}
	d.jwtSec.setVisible(!d.inspect.replacesClaims(tok, d.jwtErr))
	if d.jwtErr != nil {
		if errors.Is(d.jwtErr, tokens.ErrNotJWT) {
			why := strings.TrimPrefix(explain.Error(d.jwtErr), "token is not a JWT: ")
			setText(d.jwtNote, "Not a readable JWT ("+why+"), so there are no claims to show.")
		} else {
			setText(d.jwtNote, "The token could not be decoded: "+explain.WithPeriod(explain.Error(d.jwtErr)))
		}
		d.jwtNote.Show()
		d.header.set(nil)
		d.claims.set(nil)
		return
	}
	d.jwtNote.Hide()
	d.header.set(headerRows(d.jwt.Header))
}

func (d *detailsPane) toggleReveal() {
	d.revealed = !d.revealed
	d.ctl.win.refreshDetails()
}

func (d *detailsPane) copy(f copyFormat) {
	name := d.name
	d.ctl.copyToken(name, f, func(m statusMsg) {
		if d.name != name {
			return
		}
		d.say(m)
	})
}

func (d *detailsPane) refresh() {
	d.refreshBtn.Disable()
	d.busy.Show()
	d.busy.Start()
	d.hideMessage()
	d.ctl.refresh(d.name, false)
}

// refreshDone ends the busy state of a refresh of name started here.
func (d *detailsPane) refreshDone(name string, tok *tokens.Token, err error) {
	if name != d.name {
		return
	}
	d.busy.Stop()
	d.busy.Hide()
	d.refreshBtn.Enable()
	var p *tokens.Profile
	if d.ctl.snap != nil {
		if ps, ok := d.ctl.snap.Find(name); ok {
			cp := ps.Profile
			p = &cp
		}
	}
	if err != nil {
		d.say(statusMsg{title: "Refresh failed: " + explain.Error(err), kind: msgError, profile: p})
	} else {
		d.say(statusMsg{title: "Got a new token", expires: tok.ExpiresAt, kind: msgSuccess,
			token: tok, profile: p, until: d.ctl.now().Add(time.Minute)})
	}
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// tokenTypeText shows the token type, noting a type the server left out
// (taken as Bearer) and one that cannot be sent as a bearer token.
func tokenTypeText(tok *tokens.Token) string {
	switch {
	case tok.TokenTypeAssumed:
		return tok.TokenType + " (the server stated no type; taken as Bearer)"
	case !tok.IsBearer():
		return tok.TokenType + " (not Bearer: only the raw token can be copied)"
	}
	return orDash(tok.TokenType)
}
