//go:build pprof

package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"time"
)

// A profiling hook for measuring the app (issue 20), compiled only with
// `go build -tags pprof` (see .ci/profile-app): a release binary has none.
// With TOKENTRAY_PPROF=PREFIX set, the app waits TOKENTRAY_PPROF_WARMUP
// seconds (default 10: start-up is not the steady state), writes a heap
// profile into PREFIX.heap0, records a CPU profile into PREFIX.cpu until
// it exits, and then writes PREFIX.heap. `go tool pprof -base PREFIX.heap0
// PREFIX.heap` shows what the steady state allocated. Files are created
// new (never overwritten) and readable by the user only. Profiles hold
// code locations and sizes, never memory contents, so no token or secret
// reaches them.
func init() {
	prefix := os.Getenv("TOKENTRAY_PPROF")
	if prefix == "" {
		return
	}
	warm := 10 * time.Second
	if s, err := strconv.Atoi(os.Getenv("TOKENTRAY_PPROF_WARMUP")); err == nil && s >= 0 {
		warm = time.Duration(s) * time.Second
	}
	var (
		mu      sync.Mutex
		cpu     *os.File
		stopped bool
	)
	go func() {
		time.Sleep(warm)
		mu.Lock()
		defer mu.Unlock()
		if stopped || !writeHeap(prefix+".heap0") {
			return
		}
		f, err := create(prefix + ".cpu")
		if err != nil {
			return
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "tokentray: pprof:", err)
			f.Close()
			return
		}
		cpu = f
	}()
	stopProfile = func() {
		mu.Lock()
		defer mu.Unlock()
		stopped = true
		if cpu == nil {
			return
		}
		pprof.StopCPUProfile()
		cpu.Close()
		writeHeap(prefix + ".heap")
	}
}

func create(name string) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tokentray: pprof:", err)
	}
	return f, err
}

func writeHeap(name string) bool {
	f, err := create(name)
	if err != nil {
		return false
	}
	defer f.Close()
	runtime.GC() // the live objects as of now
	if err := pprof.WriteHeapProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "tokentray: pprof:", err)
		return false
	}
	return true
}
