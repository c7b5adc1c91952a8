package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/ui/explain"
	"github.com/tokentray/tokentray/ui/platform/autostart"
)

// autostartSetting is the window's "Start at login" check box. Its state
// is read from the system (the XDG autostart file, the Windows Run value,
// the LaunchAgent) when the window is built, so `tokentray autostart on|off`
// and the box agree; a failed change is reverted and shown in a dialog.
func (m *manageWindow) autostartSetting() fyne.CanvasObject {
	e, err := autostart.Default()
	if err != nil {
		return widget.NewLabel("Start at login is not available: " + explain.Error(err))
	}
	return newAutostartCheck(e, func(err error) {
		m.showDialog(dialog.NewError(wordedError{"Could not change the login setting: " + explain.WithPeriod(explain.Error(err))}, m.win))
	})
}

// newAutostartCheck builds the check box for e; failed reports a change
// the system refused (on the UI goroutine, where check boxes call back).
func newAutostartCheck(e autostart.Entry, failed func(error)) *widget.Check {
	check := widget.NewCheck("Start at login", nil)
	if st, err := autostart.Get(e); err == nil {
		check.SetChecked(st.Enabled)
	}
	check.OnChanged = func(on bool) {
		change := autostart.Disable
		if on {
			change = autostart.Enable
		}
		if err := change(e); err != nil {
			onChanged := check.OnChanged
			check.OnChanged = nil // revert without another change
			check.SetChecked(!on)
			check.OnChanged = onChanged
			failed(err)
		}
	}
	return check
}
