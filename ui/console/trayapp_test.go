package main

import (
	"path/filepath"
	"runtime"
	"testing"
)

func TestAppBeside(t *testing.T) {
	if runtime.GOOS == "windows" {
		for self, want := range map[string]string{`C:\Tokentray\tokentray.com`: `C:\Tokentray\tokentray.exe`, `C:\T\TOKENTRAY.COM`: `C:\T\TOKENTRAY.exe`} {
			if got := appBeside(self); got != want {
				t.Errorf("appBeside(%q) = %q, want %q", self, got, want)
			}
		}
		return
	}
	if got, want := appBeside("/usr/local/bin/tokentray"), filepath.FromSlash("/usr/local/bin/tokentray-app"); got != want {
		t.Errorf("appBeside = %q, want %q", got, want)
	}
}
