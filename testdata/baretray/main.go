// Command baretray is the smallest Fyne system-tray app: a tray menu of N
// plain items and, with -show, one window holding a single label. It is the
// baseline that .ci/bench-app measures Tokentray against (there -size is
// the size of the window Tokentray showed), and the app the end-to-end
// harness (ui/e2e_*_test.go) is verified on independently of Tokentray.
//
// With -tick the label shows the time, updated once a second: the smallest
// live countdown, whose repaints are the floor of any window that counts
// down every second. With -fill N the window also holds N static labels:
// Fyne repaints a whole window when one label changes, so -tick -fill N
// is the floor of a ticking window with as many objects (Tokentray's
// shown window holds about 130 texts).
//
// Clicking "Item NN" puts the text "baretray item NN" on the clipboard, so
// the harness can check the whole tray path: D-Bus menu click → Fyne action →
// X clipboard.
//
// Build it explicitly (testdata is outside ./...):
//
//	go build -o bin/baretray ./testdata/baretray
package main

import (
	"flag"
	"fmt"
	"log"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

func main() {
	items := flag.Int("items", 20, "number of tray menu items")
	show := flag.Bool("show", false, "show the window at start")
	size := flag.String("size", "320x200", "window size WIDTHxHEIGHT")
	tick := flag.Bool("tick", false, "update the window's label once a second")
	fill := flag.Int("fill", 0, "static labels in the window besides the first")
	flag.Parse()
	if *items < 0 {
		log.Fatal("baretray: -items must not be negative")
	}
	var width, height float32
	if _, err := fmt.Sscanf(*size, "%gx%g", &width, &height); err != nil || width <= 0 || height <= 0 {
		log.Fatalf("baretray: -size %q is not WIDTHxHEIGHT", *size)
	}

	a := app.NewWithID("io.github.tokentray.baretray")
	desk, ok := a.(desktop.App)
	if !ok {
		log.Fatal("baretray: this driver has no system tray")
	}

	// The window is created on first show, as Tokentray does: a hidden
	// Fyne window still costs a GL context.
	var w fyne.Window
	showWindow := func() {
		if w == nil {
			w = a.NewWindow("Baretray")
			label := widget.NewLabel("Bare tray app")
			w.SetContent(label)
			if *fill > 0 {
				grid := container.NewGridWithColumns(8)
				for i := range *fill {
					grid.Add(widget.NewLabel(fmt.Sprintf("Label %03d", i+1)))
				}
				w.SetContent(container.NewVBox(label, grid))
			}
			if *tick {
				go func() {
					for t := range time.Tick(time.Second) {
						fyne.Do(func() { label.SetText(t.Format(time.TimeOnly)) })
					}
				}()
			}
			w.Resize(fyne.NewSize(width, height))
			w.SetCloseIntercept(w.Hide)
		}
		w.Show()
	}

	menuItems := make([]*fyne.MenuItem, 0, *items+1)
	for i := 1; i <= *items; i++ {
		text := fmt.Sprintf("baretray item %02d", i)
		menuItems = append(menuItems, fyne.NewMenuItem(fmt.Sprintf("Item %02d", i), func() {
			a.Clipboard().SetContent(text)
		}))
	}
	menuItems = append(menuItems, fyne.NewMenuItem("Show window", showWindow))
	desk.SetSystemTrayMenu(fyne.NewMenu("Baretray", menuItems...))

	if *show {
		showWindow()
	}
	a.Run()
}
