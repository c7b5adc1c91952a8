package ui

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/ui/explain"
)

// maxPEMFile bounds what a file picker reads: PEM files are small.
const maxPEMFile = 1 << 20

// fileField holds PEM content chosen with a file picker (a private key, a
// certificate, a CA bundle). It shows what the content is, never the
// content itself. Touch it only on the UI goroutine.
type fileField struct {
	form   *profileForm
	field  string // tokens.Field* name, for errors
	pem    string
	label  *widget.Label
	choose *escButton
	clear  *escButton
	box    *fyne.Container
}

func newFileField(f *profileForm, field, chooseText string) *fileField {
	ff := &fileField{form: f, field: field}
	ff.label = widget.NewLabel("")
	ff.label.Truncation = fyne.TextTruncateEllipsis
	ff.choose = newEscButton(chooseText, theme.FolderOpenIcon(), ff.pick, f.escape)
	ff.clear = newEscButton("", theme.ContentClearIcon(), func() { ff.set("", "") }, f.escape)
	ff.box = container.NewBorder(nil, nil, nil, container.NewHBox(ff.choose, ff.clear), ff.label)
	ff.set("", "")
	return ff
}

// set stores content; source names where it came from ("" when it was
// loaded from the keyring).
func (ff *fileField) set(content, source string) {
	ff.pem = content
	switch {
	case content == "":
		ff.label.SetText("No file chosen")
		ff.label.Importance = widget.LowImportance
		ff.clear.Disable()
	case source == "":
		ff.label.SetText(describePEM(content, time.Now()) + " · stored in the keyring")
		ff.label.Importance = widget.MediumImportance
		ff.clear.Enable()
	default:
		ff.label.SetText(describePEM(content, time.Now()) + " · from " + source)
		ff.label.Importance = widget.MediumImportance
		ff.clear.Enable()
	}
	ff.label.Refresh()
}

// pick opens the file dialog and reads the chosen file in the background.
func (ff *fileField) pick() {
	f := ff.form
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			f.setFieldError(ff.field, "could not open the file: "+explain.Error(err))
			return
		}
		if r == nil {
			return // cancelled
		}
		name := r.URI().Name()
		f.ctl.bg(func() {
			data, err := io.ReadAll(io.LimitReader(r, maxPEMFile+1))
			r.Close()
			f.ctl.ui(func() { ff.loaded(name, data, err) })
		})
	}, f.win)
	d.Resize(fyne.NewSize(680, 480))
	f.showDialog(d)
}

// loaded takes a file's content: PEM only, kept whole.
func (ff *fileField) loaded(name string, data []byte, err error) {
	f := ff.form
	switch {
	case err != nil:
		f.setFieldError(ff.field, "could not read "+name+": "+explain.Error(err))
	case len(data) > maxPEMFile:
		f.setFieldError(ff.field, name+" is larger than 1 MiB; expected a PEM file")
	case !strings.Contains(string(data), "-----BEGIN "):
		f.setFieldError(ff.field, name+" is not PEM-encoded (no -----BEGIN … line)")
	default:
		f.setFieldError(ff.field, "")
		ff.set(string(data), name)
	}
}

// describePEM says what PEM content holds without showing secrets:
// "RSA private key", "certificate CN=client (valid until 2 Jan 2026)",
// "3 certificates".
func describePEM(s string, now time.Time) string {
	rest := []byte(s)
	var certs []*x509.Certificate
	var kinds []string
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type == "CERTIFICATE" {
			if c, err := x509.ParseCertificate(b.Bytes); err == nil {
				certs = append(certs, c)
				continue
			}
		}
		kinds = append(kinds, strings.ReplaceAll(b.Type, "PRIVATE KEY", "private key"))
	}
	switch {
	case len(certs) == 1 && len(kinds) == 0:
		c := certs[0]
		desc := "certificate " + orDash(c.Subject.CommonName)
		if now.After(c.NotAfter) {
			return desc + " (expired " + c.NotAfter.Local().Format("2 Jan 2006") + ")"
		}
		return desc + " (valid until " + c.NotAfter.Local().Format("2 Jan 2006") + ")"
	case len(certs) > 1 && len(kinds) == 0:
		return fmt.Sprintf("%d certificates", len(certs))
	case len(certs) == 0 && len(kinds) == 1:
		if kinds[0] == "private key" {
			return "Private key (PKCS #8)"
		}
		return explain.Sentence(kinds[0])
	case len(certs) == 0 && len(kinds) == 0:
		return "PEM content"
	}
	return fmt.Sprintf("%d PEM blocks", len(certs)+len(kinds))
}
