// Package kit holds the window's parts that know nothing of Tokentray's
// controller or profiles: layouts that hold at every width (WrapLayout,
// KVLayout, the SplitLayout that stacks a narrow window) and the app's
// theme (focus and dim text that show). The window and tray (package ui)
// build from them; they import only Fyne. Use them on the UI goroutine.
package kit
