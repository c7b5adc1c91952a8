package ui

import "fyne.io/fyne/v2"

// onRefresh, when set, is told of every object the window's update paths
// refresh because what it shows changed (setText, setImportance,
// setEnabled, lifeBar.set, kvGrid.set, clockText.SetText, profileRow.set): the seam through
// which a test counts what one tick repaints. Production leaves it nil.
// Read on the UI goroutine only; a test sets it before it drives the UI.
var onRefresh func(fyne.CanvasObject)

// counted reports a refresh of o to onRefresh.
func counted(o fyne.CanvasObject) {
	if onRefresh != nil {
		onRefresh(o)
	}
}
