package ui

import (
	"image"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"rsc.io/qr"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// signInView is the dialog of a sign-in under way (signin.go starts it):
// for a browser sign-in it says that it waits for the browser and shows
// the address to copy; for the device grant it shows the user code
// (large, selectable), the address to enter it at and a QR code of that
// address. Cancel (or Escape) ends the sign-in. It keeps handles to its
// widgets for tests. (ui goroutine only)
type signInView struct {
	dlg     dialog.Dialog
	heading *widget.Label // what to do now
	code    *widget.Label // the device grant's user code; hidden for a browser sign-in
	address *widget.Label // the address to open, selectable
	qr      *canvas.Image // the QR code of the address (device grant); hidden until known
	qrCode  *qr.Code      // what qr shows
	copyBtn *widget.Button
	cancel  *widget.Button
	device  bool
	closed  bool
}

// qrSide is the QR code's side on screen: large enough for a phone camera
// across a desk, small enough for a 768-pixel-high screen.
const qrSide = 200

// newSignInView builds the dialog over parent. copyText puts text on the
// clipboard; cancel ends the sign-in (called once, by Cancel or when the
// dialog closes otherwise).
func newSignInView(name string, device bool, parent fyne.Window, copyText func(string), cancel func()) *signInView {
	v := &signInView{device: device}
	v.heading = widget.NewLabel(explain.SignInWaiting(name, device))
	v.heading.Wrapping = fyne.TextWrapWord
	v.code = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	v.code.SizeName = theme.SizeNameHeadingText
	v.code.Selectable = true
	v.code.Hide()
	v.address = widget.NewLabel("")
	v.address.Selectable = true
	v.address.Wrapping = fyne.TextWrapBreak
	v.qr = canvas.NewImageFromImage(nil)
	v.qr.FillMode = canvas.ImageFillContain
	v.qr.ScaleMode = canvas.ImageScalePixels
	v.qr.SetMinSize(fyne.NewSquareSize(qrSide))
	v.qr.Hide()
	v.copyBtn = widget.NewButtonWithIcon(explain.SignInCopy(device), theme.ContentCopyIcon(), func() {
		if device {
			copyText(v.code.Text)
		} else {
			copyText(v.address.Text)
		}
	})
	v.copyBtn.Disable()
	v.cancel = widget.NewButtonWithIcon(explain.Cancel, theme.CancelIcon(), func() { v.dlg.Hide() })
	busy := widget.NewActivity()
	busy.Start()
	content := container.NewVBox(
		container.NewBorder(nil, nil, busy, nil, v.heading),
		v.code,
		container.NewCenter(v.qr),
		v.address,
		container.NewCenter(container.NewHBox(v.copyBtn, v.cancel)),
	)
	v.dlg = dialog.NewCustomWithoutButtons(explain.SignInDialogTitle(name), content, parent)
	v.dlg.Resize(fyne.NewSize(460, 0))
	v.dlg.SetOnClosed(func() {
		busy.Stop()
		if !v.closed {
			v.closed = true
			cancel()
		}
	})
	return v
}

// showURL shows the browser sign-in's address, for a browser elsewhere.
func (v *signInView) showURL(u string) {
	v.address.SetText(shownAddress(u))
	v.copyBtn.Enable()
}

// showCode shows the device grant's codes: the user code, the address to
// enter it at, and a QR code of the address that already carries the code
// when the server sent one (verification_uri_complete).
func (v *signInView) showCode(dc tokens.DeviceCode) {
	v.heading.SetText(explain.DeviceSignInSteps(dc.VerificationURIComplete != ""))
	v.code.SetText(explain.Printable(dc.UserCode))
	v.code.Show()
	v.address.SetText(shownAddress(dc.VerificationURI))
	target := dc.VerificationURIComplete
	if target == "" {
		target = dc.VerificationURI
	}
	if c, err := qr.Encode(target, qr.M); err == nil {
		v.qrCode = c
		v.qr.Image = qrImage(c)
		v.qr.Show()
		v.qr.Refresh()
	}
	v.copyBtn.Enable()
}

// shownAddress is an address from the server or the sign-in as the
// dialog shows (and copies) it: without control, bidirectional or other
// invisible characters, which could make it read as another address; long
// enough for a sign-in URL's PKCE challenge and state.
func shownAddress(u string) string { return tokens.Printable(u, 4096) }

// finish closes the dialog without cancelling: the sign-in ended.
func (v *signInView) finish() {
	v.closed = true
	v.dlg.Hide()
}

// qrImage draws c one pixel per module inside the quiet zone of four
// modules the standard asks for (ISO/IEC 18004 §6.3.8); the canvas scales
// it up without smoothing.
func qrImage(c *qr.Code) image.Image {
	const quiet = 4
	side := c.Size + 2*quiet
	img := image.NewGray(image.Rect(0, 0, side, side))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y := range c.Size {
		for x := range c.Size {
			if c.Black(x, y) {
				img.SetGray(x+quiet, y+quiet, color.Gray{})
			}
		}
	}
	return img
}
