package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// Choices shown by the form's radio groups.
const (
	endpointTokenURL = "Token URL"
	endpointIssuer   = "Discover from issuer"
	bodyFormLabel    = "Form (standard)"
	bodyJSONLabel    = "JSON"
)

// profileForm is the add/edit profile window. Every field of a profile is
// here; the auth method shows only its own credential fields. Validation
// messages appear under the fields; Test fetches a token with the unsaved
// settings; Save writes to the store in the background with the buttons
// disabled meanwhile. Enter saves, Escape closes. It keeps handles to its
// widgets for tests. Touch it only on the UI goroutine.
type profileForm struct {
	ctl      *controller
	win      fyne.Window
	original string // name being edited; "" for a new profile
	initial  formValues
	kept     formValues // the fields the form does not show (values carries them)

	name, tokenURL, issuerURL, clientID *escEntry
	endpoint                            *escSelect // one Tab stop (a radio group takes one per choice)
	auth                                *escSelect
	secret                              *escEntry
	privateKey, clientCert, clientKey   *fileField
	caBundle                            *fileField
	keyID                               *escEntry
	alg                                 *escSelect
	scopes, audience, resource          *escEntry
	params, headers                     *escEntry
	introspectionURL, revocationURL     *escEntry
	body                                *escSelect
	autoRefresh                         *escCheck
	lead, assumed                       *escEntry
	signInFields                        // the grant and its rows (formsignin.go)

	advancedBtn  *escButton // shows or hides the advanced rows
	advancedOpen bool

	errs     map[string]*widget.Label       // field → its message under the field
	hints    map[string]*widget.Label       // field → its hint, hidden while a message shows
	focusFor map[string]fyne.Focusable      // field → widget to focus when wrong
	groups   map[string][]fyne.CanvasObject // row groups shown per choice
	grid     *fyne.Container

	summary   *widget.Label // problems overall, or the save error
	result    *valueLabel   // Test outcome (copyable)
	resultBox *fyne.Container
	busy      *widget.Activity
	busyText  *widget.Label

	testBtn, cancelBtn, saveBtn *escButton

	exchangeBtn *escButton        // opens the last Test's exchange
	testLog     []tokens.LogEntry // the last Test's exchanges, newest first

	testCancel context.CancelFunc
	lastTest   *testOutcome // the last finished Test; nil: none
	saving     bool
	dialogSlot               // the dialog shown over the form, if any
	signing    *signInView   // the dialog of a Test's sign-in under way; nil: none
	signedIn   *testedSignIn // what the last Test's sign-in got, for Save (formkeep.go); nil: none
	closed     bool
}

// openProfileForm opens the form for a new profile (p nil) or to edit p.
func openProfileForm(c *controller, p *tokens.Profile) *profileForm {
	f := &profileForm{ctl: c, errs: map[string]*widget.Label{}, hints: map[string]*widget.Label{}, focusFor: map[string]fyne.Focusable{}, groups: map[string][]fyne.CanvasObject{}}
	title := "New profile"
	v := newFormValues()
	if p != nil {
		f.original = p.Name
		title = "Edit profile — " + p.Name
		v = valuesFromProfile(*p)
	}
	f.win = c.app.NewWindow(title)
	f.build()
	f.setValues(v)
	f.initial = f.values()
	f.watchChanges()
	f.win.SetContent(f.layout())
	f.win.Resize(formSize)
	f.win.SetCloseIntercept(f.escapeWindow)
	f.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		switch ev.Name {
		case fyne.KeyEscape:
			f.escape()
		case fyne.KeyReturn, fyne.KeyEnter:
			f.save()
		}
	})
	f.win.Show()
	f.win.Canvas().Focus(f.name)
	return f
}

func (f *profileForm) build() {
	esc := f.escape
	entry := func(placeholder string) *escEntry {
		e := newEscEntry(esc, false, false)
		e.PlaceHolder = placeholder
		e.OnSubmitted = func(string) { f.save() }
		return e
	}
	f.name = entry("e.g. dev-api")
	f.endpoint = newEscSelect([]string{endpointTokenURL, endpointIssuer}, func(string) { f.showGroups() }, esc)
	f.tokenURL = entry("e.g. https://auth.example.com/oauth2/token")
	f.issuerURL = entry("e.g. https://auth.example.com")
	f.clientID = entry("")
	f.buildSignIn(entry)
	f.auth = newEscSelect(authLabels(), func(string) { f.showGroups() }, esc)
	f.secret = newEscEntry(esc, false, true)
	f.secret.OnSubmitted = func(string) { f.save() }
	f.privateKey = newFileField(f, tokens.FieldPrivateKey, "Choose key file…")
	f.keyID = entry("optional “kid” header")
	f.alg = newEscSelect([]string{tokens.AlgRS256, tokens.AlgES256, tokens.AlgPS256}, nil, esc)
	f.clientCert = newFileField(f, tokens.FieldClientCert, "Choose certificate…")
	f.clientKey = newFileField(f, tokens.FieldClientKey, "Choose key file…")
	f.caBundle = newFileField(f, tokens.FieldCABundle, "Choose CA bundle…")
	f.scopes = entry("e.g. read write")
	f.audience = entry("optional")
	f.resource = entry("optional, e.g. https://api.example.com")
	f.introspectionURL = entry("optional: when the issuer's metadata names none")
	f.revocationURL = entry("optional: when the issuer's metadata names none")
	f.params = newEscEntry(esc, true, false)
	f.params.PlaceHolder = "one per line: name=value"
	f.params.SetMinRowsVisible(3)
	f.headers = newEscEntry(esc, true, false)
	f.headers.PlaceHolder = "one per line: Name: value"
	f.headers.SetMinRowsVisible(3)
	// A dropdown, not radios: Fyne's radio items neither scroll into view
	// nor pass Escape on, and this row sits below the form's fold.
	f.body = newEscSelect([]string{bodyFormLabel, bodyJSONLabel}, nil, esc)
	f.body.SetSelected(bodyFormLabel)
	f.autoRefresh = newEscCheck("Refresh automatically before expiry", nil, esc)
	f.lead = entry("5m")
	f.assumed = entry("50m")

	f.advancedBtn = newEscButton("", theme.MenuExpandIcon(), func() { f.setAdvanced(!f.advancedOpen) }, esc)
	f.advancedBtn.Alignment = widget.ButtonAlignLeading
	f.advancedBtn.Importance = widget.LowImportance
	f.summary = newWrapped(widget.DangerImportance)
	f.summary.Hide()
	f.result = newValueLabel(esc)
	f.busy = widget.NewActivity()
	f.busy.Hide()
	f.busyText = widget.NewLabel("")
	f.busyText.Hide()
	f.testBtn = newEscButton("Test", theme.MediaPlayIcon(), f.test, esc)
	f.exchangeBtn = newEscButton("Show request…", theme.SearchIcon(), f.showLogEntry, esc)
	f.exchangeBtn.Hide()
	f.cancelBtn = newEscButton("Cancel", theme.CancelIcon(), f.escape, esc)
	f.saveBtn = newEscButton("Save", theme.DocumentSaveIcon(), f.save, esc)
	f.saveBtn.Importance = widget.HighImportance
	if !f.ctl.opts.TestProfiles {
		f.testBtn.Hide()
	}

	f.focusFor = map[string]fyne.Focusable{
		tokens.FieldName: f.name, tokens.FieldTokenURL: f.tokenURL, tokens.FieldIssuerURL: f.issuerURL,
		tokens.FieldClientID: f.clientID, tokens.FieldAuth: f.auth, tokens.FieldClientSecret: f.secret,
		tokens.FieldPrivateKey: f.privateKey.choose, tokens.FieldAlg: f.alg, tokens.FieldClientCert: f.clientCert.choose,
		tokens.FieldClientKey: f.clientKey.choose, tokens.FieldCABundle: f.caBundle.choose,
		tokens.FieldParams: f.params, tokens.FieldHeaders: f.headers,
		tokens.FieldRefreshLead: f.lead, tokens.FieldAssumedLifetime: f.assumed,
		tokens.FieldIntrospectionURL: f.introspectionURL, tokens.FieldRevocationURL: f.revocationURL,
	}
}

// layout arranges the fields in one two-column grid (so labels line up
// across sections) in tab order, with the buttons below.
func (f *profileForm) layout() fyne.CanvasObject {
	var objs []fyne.CanvasObject
	heading := func(text string) {
		l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Importance = widget.HighImportance
		objs = append(objs, l, container.NewVBox(layout.NewSpacer(), widget.NewSeparator(), layout.NewSpacer()))
	}
	row := func(group, field, label string, w fyne.CanvasObject, hint string) {
		l := widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{})
		cell := container.New(layout.NewCustomPaddedVBoxLayout(0), w)
		if field != "" {
			e := widget.NewLabel("")
			e.Importance = widget.DangerImportance
			e.Wrapping = fyne.TextWrapWord
			e.Hide()
			f.errs[field] = e
			cell.Add(e)
		}
		if hint != "" {
			h := widget.NewLabel(hint)
			h.SizeName = theme.SizeNameCaptionText
			h.Importance = widget.LowImportance
			h.Wrapping = fyne.TextWrapWord
			cell.Add(h)
			if field != "" {
				f.hints[field] = h
			}
		}
		if group != "" {
			f.groups[group] = append(f.groups[group], l, cell)
		}
		objs = append(objs, l, cell)
	}
	// field is the row of a profile field: its label from the one table,
	// its message (hidden until validation names the field) and its hint.
	field := func(group, name string, w fyne.CanvasObject, hint string) {
		row(group, name, explain.FieldLabel(name), w, hint)
	}
	heading("Profile")
	field("", tokens.FieldName, f.name, "Shown in the tray; must be unique.")
	row("", "", "Endpoint", f.endpoint, "")
	field("token", tokens.FieldTokenURL, f.tokenURL, "https, or http on this computer only.")
	field("issuer", tokens.FieldIssuerURL, f.issuerURL, "The token URL is discovered from the issuer's metadata.")
	field("", tokens.FieldClientID, f.clientID, "")
	f.signInRows(field, row)

	heading("Client authentication")
	field("", tokens.FieldAuth, f.auth, "")
	field("secret", tokens.FieldClientSecret, f.secret, "Kept in the system keyring, never in a file.")
	field("key", tokens.FieldPrivateKey, f.privateKey.box, "PEM (PKCS #1, PKCS #8 or SEC 1); stored in the keyring.")
	field("key", tokens.FieldKeyID, f.keyID, "")
	field("key", tokens.FieldAlg, f.alg, "")
	field("cert", tokens.FieldClientCert, f.clientCert.box, "")
	field("cert", tokens.FieldClientKey, f.clientKey.box, "")

	heading("Token request")
	field("", tokens.FieldScopes, f.scopes, "Separated by spaces.")

	heading("Refresh")
	row("", "", "", f.autoRefresh, "")
	field("", tokens.FieldRefreshLead, f.lead, "How long before expiry to refresh, e.g. 5m or 90s. Empty: 5 min.")
	field("", tokens.FieldAssumedLifetime, f.assumed, "For tokens that state no lifetime. Empty: 50 min.")

	// What few profiles need, folded away as Postman and Insomnia do.
	objs = append(objs, layout.NewSpacer(), f.advancedBtn)
	field(groupAdvanced, tokens.FieldCABundle, f.caBundle.box, "Extra trusted roots for a private PKI. TLS verification stays on.")
	field(groupAdvanced, tokens.FieldAudience, f.audience, "")
	field(groupAdvanced, tokens.FieldResource, f.resource, "RFC 8707 resource indicator.")
	field(groupAdvanced, tokens.FieldParams, f.params, "")
	field(groupAdvanced, tokens.FieldHeaders, f.headers, "")
	field(groupAdvanced, tokens.FieldBody, f.body, "")
	field(groupAdvanced, tokens.FieldIntrospectionURL, f.introspectionURL, "RFC 7662 endpoint for Introspect. Does not change the token request.")
	field(groupAdvanced, tokens.FieldRevocationURL, f.revocationURL, "RFC 7009 endpoint for Revoke.")

	f.grid = container.New(layout.NewFormLayout(), objs...)
	f.showGroups()

	resultBG := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	resultBG.CornerRadius = theme.InputRadiusSize()
	f.resultBox = container.NewStack(resultBG, container.NewPadded(
		container.NewBorder(nil, nil, nil, container.NewVBox(f.exchangeBtn), f.result)))
	f.resultBox.Hide()
	footer := container.NewVBox(
		widget.NewSeparator(),
		f.resultBox,
		f.summary,
		container.NewHBox(f.busy, f.busyText, layout.NewSpacer(), f.testBtn, f.cancelBtn, f.saveBtn),
	)
	return container.NewBorder(nil, container.NewPadded(footer), nil, nil,
		container.NewVScroll(container.NewPadded(f.grid)))
}

// showGroups shows the rows of the chosen endpoint kind and auth method.
func (f *profileForm) showGroups() {
	if f.grid == nil {
		return
	}
	method := authFromLabel(f.auth.Selected)
	visible := map[string]bool{
		"token":  f.endpoint.Selected != endpointIssuer,
		"issuer": f.endpoint.Selected == endpointIssuer,
		"secret": method.UsesSecret(),
		"key":    method == tokens.AuthPrivateKeyJWT,
		"cert":   method == tokens.AuthTLSClient,
	}
	f.signInVisible(visible)
	f.setAdvancedLabel()
	visible[groupAdvanced] = f.advancedOpen
	for g, objs := range f.groups {
		for _, o := range objs {
			if visible[g] {
				o.Show()
			} else {
				o.Hide()
			}
		}
	}
	f.grid.Refresh()
}

// values reads the form.
func (f *profileForm) values() formValues {
	return formValues{
		Name:        f.name.Text,
		UseIssuer:   f.endpoint.Selected == endpointIssuer,
		TokenURL:    f.tokenURL.Text,
		IssuerURL:   f.issuerURL.Text,
		ClientID:    f.clientID.Text,
		Auth:        authFromLabel(f.auth.Selected),
		Secret:      f.secret.Text,
		PrivateKey:  f.privateKey.pem,
		KeyID:       f.keyID.Text,
		Alg:         f.alg.Selected,
		ClientCert:  f.clientCert.pem,
		ClientKey:   f.clientKey.pem,
		CABundle:    f.caBundle.pem,
		Scopes:      f.scopes.Text,
		Audience:    f.audience.Text,
		Resource:    f.resource.Text,
		Introspect:  f.introspectionURL.Text,
		Revoke:      f.revocationURL.Text,
		Params:      f.params.Text,
		Headers:     f.headers.Text,
		Body:        bodyFromLabel(f.body.Selected),
		RefreshLead: f.lead.Text,
		Assumed:     f.assumed.Text,
		AutoRefresh: f.autoRefresh.Checked,
		// Not on the form: kept as loaded.
		EndpointOrigins: f.kept.EndpointOrigins,
		GitHosts:        f.kept.GitHosts,
		SignIn:          f.signInValues(),
	}
}

// setValues fills the form.
func (f *profileForm) setValues(v formValues) {
	f.kept.EndpointOrigins, f.kept.GitHosts, f.kept.SignIn = v.EndpointOrigins, v.GitHosts, v.SignIn
	f.name.SetText(v.Name)
	if v.UseIssuer {
		f.endpoint.SetSelected(endpointIssuer)
	} else {
		f.endpoint.SetSelected(endpointTokenURL)
	}
	f.tokenURL.SetText(v.TokenURL)
	f.issuerURL.SetText(v.IssuerURL)
	f.clientID.SetText(v.ClientID)
	f.setSignIn(v.SignIn)
	f.auth.SetSelected(explain.AuthMethod(v.Auth))
	f.secret.SetText(v.Secret)
	f.privateKey.set(v.PrivateKey, "")
	f.keyID.SetText(v.KeyID)
	f.alg.SetSelected(v.Alg)
	f.clientCert.set(v.ClientCert, "")
	f.clientKey.set(v.ClientKey, "")
	f.caBundle.set(v.CABundle, "")
	f.scopes.SetText(v.Scopes)
	f.audience.SetText(v.Audience)
	f.resource.SetText(v.Resource)
	f.introspectionURL.SetText(v.Introspect)
	f.revocationURL.SetText(v.Revoke)
	f.params.SetText(v.Params)
	f.headers.SetText(v.Headers)
	if v.Body == tokens.BodyJSON {
		f.body.SetSelected(bodyJSONLabel)
	} else {
		f.body.SetSelected(bodyFormLabel)
	}
	f.autoRefresh.SetChecked(v.AutoRefresh)
	f.lead.SetText(v.RefreshLead)
	f.assumed.SetText(v.Assumed)
	f.advancedOpen = f.advancedOpen || usesAdvanced(v)
	f.showGroups()
}
