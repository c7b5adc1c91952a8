package ui

import (
	"log"

	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/ui/explain"
	"github.com/tokentray/tokentray/ui/platform/hotkey"
)

// prefPickerHotkey is the Preferences key of the optional global hotkey
// that opens the quick picker (off by default).
const prefPickerHotkey = "picker.hotkey"

// applyHotkey grabs or releases the picker's hotkey as the preference
// says. A failure (the key taken, no X display) is kept for the window to
// show and logged; the preference stays as the user set it. (ui)
func (c *controller) applyHotkey() {
	on := c.app.Preferences().BoolWithFallback(prefPickerHotkey, false)
	switch {
	case on && c.stopHotkey == nil:
		stop, err := c.hotkey(func() { c.ui(c.showPicker) })
		c.hotkeyErr = err
		if err != nil {
			log.Printf("tokentray: picker hotkey: %v", err)
			return
		}
		c.stopHotkey = stop
	case !on && c.stopHotkey != nil:
		c.stopHotkey()
		c.stopHotkey, c.hotkeyErr = nil, nil
	case !on:
		c.hotkeyErr = nil
	}
}

// newHotkeySetting is the window's setting for the hotkey, or nil where
// the platform has none.
func (m *manageWindow) newHotkeySetting() (check *escCheck, note *widget.Label) {
	if !m.ctl.hotkeySupported() {
		return nil, nil
	}
	note = newWrapped(widget.DangerImportance)
	note.Hide()
	update := func() {
		if err := m.ctl.hotkeyErr; err != nil {
			note.SetText(explain.Sentence(explain.WithPeriod(explain.Error(err))))
			note.Show()
		} else {
			note.Hide()
		}
	}
	check = newEscCheck("Open the picker with "+hotkey.Label, func(on bool) {
		m.ctl.app.Preferences().SetBool(prefPickerHotkey, on)
		m.ctl.applyHotkey()
		update()
	}, m.escape)
	check.Checked = m.ctl.app.Preferences().BoolWithFallback(prefPickerHotkey, false)
	update()
	return check, note
}
