// Command snwatcher owns org.kde.StatusNotifierWatcher on the session bus,
// standing in for a desktop panel so tray apps can register (otherwise
// fyne.io/systray logs "failed to register"). .ci/bench-app runs it for the
// whole benchmark. It prints one line per event on stdout:
//
//	snwatcher: ready
//	snwatcher: registered :1.7/StatusNotifierItem pid 1234 (22 menu entries)
//
// and runs until interrupted. Build it explicitly (testdata is outside ./...):
//
//	go build -o bin/snwatcher ./testdata/snwatcher
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/tokentray/tokentray/ui/traytest"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("snwatcher: ")
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		log.Fatalf("connect session bus: %v", err)
	}
	defer conn.Close()
	w, err := traytest.StartWatcher(conn)
	if err != nil {
		log.Fatal(err)
	}
	defer w.Close()
	fmt.Println("snwatcher: ready")

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	seen := map[string]bool{}
	for {
		it, err := w.Wait(ctx, func(it traytest.Item) bool { return !seen[it.String()] })
		if err != nil {
			return // interrupted
		}
		seen[it.String()] = true
		go report(conn, it)
	}
}

// report prints the registration once the item's menu has entries (Fyne
// fills the menu right after registering), or after a few seconds.
func report(conn *dbus.Conn, it traytest.Item) {
	n := 0
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if _, root, err := traytest.Layout(conn, it); err == nil && len(root.Children) > 0 {
			n = len(root.Children)
			break
		}
	}
	fmt.Printf("snwatcher: registered %s pid %d (%d menu entries)\n", it, it.PID, n)
}
