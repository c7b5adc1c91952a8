package ui

import (
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/systray"
)

// systrayHost is Fyne's desktop tray with the tooltip Fyne does not offer:
// fyne.io/systray, which Fyne runs the tray with, keeps one tray per
// process, so its SetTooltip sets the ToolTip property of the same
// StatusNotifierItem.
type systrayHost struct {
	desktop.App
	title string // the item's title, re-set to signal the change
}

// SetSystemTrayTooltip sets the tray icon's tooltip. systray sets the
// property without emitting NewToolTip; re-setting the title emits
// NewTitle, on which hosts (KDE, xfce4-panel) read the item's properties
// again. Call it on the UI goroutine, after the tray started.
func (h systrayHost) SetSystemTrayTooltip(text string) {
	systray.SetTooltip(text)
	if h.title != "" {
		systray.SetTitle(h.title)
	}
}
