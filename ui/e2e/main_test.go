package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The programs under test, built once by TestMain for every test.
var (
	tokentrayBin string // the app and command line (the module root), or $TOKENTRAY_TEST_BINARY
	baretrayBin  string // the bare Fyne tray app of testdata/baretray
)

// TestMain builds tokentray and baretray in one `go build` before the
// tests run and removes them after. TOKENTRAY_TEST_BINARY runs the suite
// against another tokentray build.
func TestMain(m *testing.M) { os.Exit(runTests(m)) }

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "tokentray-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	tokentrayBin, baretrayBin = filepath.Join(dir, "tokentray"), filepath.Join(dir, "baretray")
	pkgs := []string{"../..", "../../testdata/baretray"}
	if bin := os.Getenv("TOKENTRAY_TEST_BINARY"); bin != "" {
		tokentrayBin, pkgs = bin, pkgs[1:]
	}
	goTool, err := goCommand()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	// -o DIR/ writes each main package's binary into DIR under its own name.
	cmd := exec.Command(goTool, append([]string{"build", "-o", dir + string(filepath.Separator)}, pkgs...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: go build %v: %v\n%s", pkgs, err, out)
		return 1
	}
	return m.Run()
}

// goCommand is the go command of the toolchain running the tests.
func goCommand() (string, error) {
	if p := filepath.Join(os.Getenv("GOROOT"), "bin", "go"); os.Getenv("GOROOT") != "" {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	p, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("go command not found: %w", err)
	}
	return p, nil
}
