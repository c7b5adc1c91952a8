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
	tokentrayBin string // the command line (ui/console), or $TOKENTRAY_TEST_BINARY
	appBin       string // the tray app beside it (the module root), which tokentray starts
	baretrayBin  string // the bare Fyne tray app of testdata/baretray
)

// TestMain builds tokentray, tokentray-app beside it and baretray before
// the tests run and removes them after. TOKENTRAY_TEST_BINARY runs the
// suite against another build of the command line (with its
// tokentray-app beside it).
func TestMain(m *testing.M) { os.Exit(runTests(m)) }

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "tokentray-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	tokentrayBin, appBin, baretrayBin = filepath.Join(dir, "tokentray"), filepath.Join(dir, "tokentray-app"), filepath.Join(dir, "baretray")
	builds := [][2]string{{tokentrayBin, "../../ui/console"}, {appBin, "../.."}, {baretrayBin, "../../testdata/baretray"}}
	if bin := os.Getenv("TOKENTRAY_TEST_BINARY"); bin != "" {
		tokentrayBin, appBin, builds = bin, filepath.Join(filepath.Dir(bin), "tokentray-app"), builds[2:]
	}
	goTool, err := goCommand()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	for _, b := range builds {
		cmd := exec.Command(goTool, "build", "-o", b[0], b[1])
		if out, err := cmd.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: go build %s: %v\n%s", b[1], err, out)
			return 1
		}
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
