package autostart

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"testing"

	"golang.org/x/sys/windows/registry"
)

// Enable writes a value under HKCU\…\Run (checked by reading the registry
// directly), Get reports it, Disable removes it. Runs under Wine in
// `make test-windows`; a random value name keeps a real Run key unharmed.
func TestRunValue(t *testing.T) {
	b := make([]byte, 4)
	rand.Read(b)
	e := Entry{Name: "Tokentray-test-" + hex.EncodeToString(b), ID: "io.github.tokentray", Command: []string{`C:\Program Files\Tokentray\tokentray.exe`}}
	t.Cleanup(func() { _ = Disable(e) })
	if err := Enable(e); err != nil {
		t.Fatal(err)
	}
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	v, _, err := k.GetStringValue(e.Name)
	k.Close()
	if want := `"C:\Program Files\Tokentray\tokentray.exe"`; err != nil || v != want {
		t.Fatalf("Run value = %q, %v; want %q", v, err, want)
	}
	if st, err := Get(e); err != nil || !st.Enabled || !st.Current {
		t.Fatalf("Get = %+v, %v", st, err)
	}
	if err := Disable(e); err != nil {
		t.Fatal(err)
	}
	k, err = registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if _, _, err := k.GetStringValue(e.Name); !errors.Is(err, registry.ErrNotExist) {
		t.Fatalf("after Disable the value reads %v", err)
	}
	if st, err := Get(e); err != nil || st.Enabled {
		t.Fatalf("Get after Disable = %+v, %v", st, err)
	}
}
