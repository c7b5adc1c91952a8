package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokentray/tokentray/ui/explain"
)

// The settings under the profile list (clearing the clipboard, start at
// login, the picker's shortcut, About), folded under one Settings button.
// They are open while the list sits beside the details and fold when the
// window is narrow enough to stack the list above the details, so that a
// 400 px window still shows several profiles rather than four settings;
// the button opens them again in either layout.

// newSettings builds the settings and their fold (m.settingsFold).
func (m *manageWindow) newSettings() {
	c := m.ctl
	labels := make([]string, len(clearChoices))
	for i, ch := range clearChoices {
		labels[i] = ch.label
	}
	m.clearSel = newEscSelect(labels, func(s string) {
		for _, ch := range clearChoices {
			if ch.label == s {
				setClearDelay(c.app.Preferences(), ch.delay)
			}
		}
	}, m.escape)
	m.clearSel.SetSelected(clearLabel(clearDelay(c.app.Preferences())))

	clearLabel := widget.NewLabel(explain.SettingClearClipboard)
	clearLabel.Wrapping = fyne.TextWrapWord
	m.settings = container.NewVBox()
	m.addSetting(clearLabel, m.clearSel)
	m.settings.Add(m.autostartSetting())
	if check, note := m.newHotkeySetting(); check != nil {
		m.addSetting(check, note)
	}
	m.aboutBtn = m.aboutButton()
	m.settings.Add(m.aboutBtn)

	m.settingsBtn = newEscButton(explain.SettingsFold, theme.MenuDropDownIcon(), func() { m.setSettingsOpen(!m.settings.Visible()) }, m.escape)
	m.settingsBtn.Alignment = widget.ButtonAlignLeading
	m.settingsBtn.Importance = widget.LowImportance
	m.settingsFold = container.NewVBox(widget.NewSeparator(), m.settingsBtn, m.settings)
}

// setSettingsOpen shows or folds the settings under the list.
func (m *manageWindow) setSettingsOpen(open bool) {
	if open == m.settings.Visible() {
		return
	}
	icon := theme.MenuExpandIcon()
	if open {
		icon = theme.MenuDropDownIcon()
		m.settings.Show()
	} else {
		m.settings.Hide()
	}
	m.settingsBtn.SetIcon(icon)
	m.settingsFold.Refresh()
	if m.split != nil {
		m.split.Leading.Refresh()
	}
}

// clearLabel is the clipboard setting's choice for delay d.
func clearLabel(d time.Duration) string {
	for _, ch := range clearChoices {
		if ch.delay == d {
			return ch.label
		}
	}
	return "After " + explain.Duration(d)
}

// addSetting adds a setting (its label and its control) to the settings
// under the profile list.
func (m *manageWindow) addSetting(label, control fyne.CanvasObject) {
	m.settings.Add(label)
	m.settings.Add(control)
}
