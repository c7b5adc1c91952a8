// Package assets holds Tokentray's bundled images: the application icon and
// the tray icons that show the overall token state. The PNG files are drawn
// by gen_icons.go (`go generate ./assets`) and embedded at build time.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:generate go run gen_icons.go

var (
	//go:embed icon-128.png
	iconPNG []byte
	//go:embed tray-ok.png
	trayOKPNG []byte
	//go:embed tray-warn.png
	trayWarnPNG []byte
	//go:embed tray-error.png
	trayErrorPNG []byte
)

// The resources are immutable and safe to share between goroutines.
var (
	// AppIcon is the application icon for windows and notifications: a
	// white key on blue, 128×128 (icon.png, 512×512, is for packaging; a
	// decoded window icon that size costs more memory than it shows).
	AppIcon fyne.Resource = fyne.NewStaticResource("tokentray.png", iconPNG)
	// TrayOK is the tray icon when every token is fresh (green).
	TrayOK fyne.Resource = fyne.NewStaticResource("tray-ok.png", trayOKPNG)
	// TrayWarn is the tray icon when a token expires soon or refreshes are
	// failing while a valid token is still held (amber).
	TrayWarn fyne.Resource = fyne.NewStaticResource("tray-warn.png", trayWarnPNG)
	// TrayError is the tray icon when a profile has no usable token because
	// refresh failed or the token expired (red).
	TrayError fyne.Resource = fyne.NewStaticResource("tray-error.png", trayErrorPNG)
)
