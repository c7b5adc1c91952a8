# Tokentray. The two commands a new user runs: `make run` and `make test`.
# Every target installs the Debian packages it needs when they are missing.
SHELL := /bin/bash
GO ?= go
export CGO_ENABLED := 1
# The version, commit and date that `tokentray --version` shows (ui/buildinfo).
LDFLAGS = $(shell .ci/ldflags)

.PHONY: all build run demo test check vet bench bench-app bench-cli package package-check package-windows windows test-windows clean

all: build

## build: tokentray, the command line (pure Go, no toolkit: a credential
## helper must not pay for Fyne's init), and tokentray-app beside it, the tray
## app that `tokentray` with no subcommand starts (see the README).
build:
	.ci/deps.sh build
	$(GO) build -ldflags "$(LDFLAGS)" -o tokentray-app .
	CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o tokentray ./ui/console

## run: the tray app in demo mode (embedded loopback token server, in-memory profiles).
run demo: build
	.ci/deps.sh run
	./tokentray --demo

## test: vet, gofmt, and the whole suite with -race inside a private D-Bus
## session with a real Secret Service (gnome-keyring) and an X display (Xvfb).
## .ci/test runs go test ./... and then the test module tokens/servertest
## (the OAuth server libraries the client is tested against: Fosite,
## go-oauth2), with the ui package's longest test beside the rest so that
## both cores work. -parallel 4: the parallel tests (ui/e2e's command-line
## tests) mostly wait on the processes they start, the keyring and servers.
TESTFLAGS ?= -race -count=1 -timeout 30m -parallel 4
test: check
	.ci/deps.sh test
	GO=$(GO) .ci/session .ci/test $(TESTFLAGS)

check:
	.ci/deps.sh build
	@bad=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$bad" ]; then echo "gofmt needed: $$bad"; exit 1; fi
	$(GO) vet ./...
	cd tokens/servertest && $(GO) vet ./...
	@if $(GO) list -deps ./tokens/... | grep -q '^fyne.io/'; then echo "tokens/ must not import fyne"; exit 1; fi
	@# the shared test fixtures serve tests only
	@if $(GO) list -deps . ./ui/... | grep -q '/tokens/tokentest$$'; then echo "only tests may import tokens/tokentest"; exit 1; fi
	@# the engine package itself reaches the keyring and the network only through its interfaces
	@bad=$$($(GO) list -deps ./tokens | grep -E '^(fyne\.io/|github\.com/zalando/go-keyring|github\.com/godbus/|net/http$$)'); \
	if [ -n "$$bad" ]; then echo "package tokens must not import Fyne, go-keyring, godbus or net/http; it imports:"; echo "$$bad"; exit 1; fi
	@# the window reaches the import pipeline through tokens/importers, never through the command line
	@if $(GO) list -deps ./ui | grep -q '/ui/cli$$'; then echo "package ui must not import ui/cli"; exit 1; fi
	@# only the wording layer words: nothing decides by matching error text (a typed error says what
	@# happened), except tokens/keyring/backend.go, where the keyring library's text becomes a typed error
	@bad=$$(grep -rnE 'strings\.(Contains|HasPrefix|HasSuffix|Index|LastIndex|EqualFold|ToLower|Fields|Split)\([^;]*\.Error\(\)' --include=*.go tokens ui *.go | grep -v '_test\.go:' | grep -v '^tokens/keyring/backend\.go:' | grep -v '^ui/explain/'); \
	if [ -n "$$bad" ]; then echo "match a typed error (errors.Is/As), not its text:"; echo "$$bad"; exit 1; fi
	@# ...and the window words an error through ui/explain, never by gluing err.Error() into a sentence
	@bad=$$(grep -rn '\.Error()' --include=*.go ui | grep -vE '_test\.go:|^ui/explain/|^ui/cli/|\) Error\(\) string'); \
	if [ -n "$$bad" ]; then echo "word errors with explain.Error/Command/Background:"; echo "$$bad"; exit 1; fi
	@# ...and an engine error needs no stripping to be shown: no "tokens: "/"keyring: "/"importers: " prefixes
	@bad=$$(grep -rnE '"(tokens|keyring|importers): ' --include=*.go tokens | grep -v '_test\.go:'); \
	if [ -n "$$bad" ]; then echo "error text is shown to the user as it is: no package prefix"; echo "$$bad"; exit 1; fi
	@# ...and the import pipeline reports codes, each worded in ui/explain (see its wordinglayer_test.go)
	$(GO) test -count=1 -run '^TestWordingLayer' ./ui/explain/
	@# one composition root (package ui/wire): the command line builds no adapter
	@bad=$$($(GO) list -deps ./ui/cli | grep -E '/tokens/(keyring|oauth)$$|^github\.com/zalando/go-keyring|^github\.com/godbus/'); \
	if [ -n "$$bad" ]; then echo "ui/cli must not build adapters; it imports:"; echo "$$bad"; exit 1; fi
	@# the window's parts (ui/kit) know nothing of Tokentray: they import Fyne only
	@bad=$$($(GO) list -deps ./ui/kit | grep '^github.com/tokentray/' | grep -v '/ui/kit$$'); \
	if [ -n "$$bad" ]; then echo "ui/kit must not import Tokentray's packages; it imports:"; echo "$$bad"; exit 1; fi
	@# the command line program links no toolkit (every linked package's init runs on each call)
	@if $(GO) list -deps ./ui/console | grep -q '^fyne\.io/'; then echo "the command line (ui/console) must not link Fyne"; exit 1; fi
	@# the pure-Go packages (engine, command line) must build on every desktop OS
	for os in windows darwin; do GOOS=$$os CGO_ENABLED=0 $(GO) vet ./tokens/... ./ui/cli/... ./ui/buildinfo/... ./ui/explain/... ./ui/platform/autostart/... ./ui/console/... ./ui/wire/... ./ui/platform/quietlocale/... ./ui/platform/hotkey/... ./ui/platform/secretclip/... || exit 1; done

vet: check

## bench: engine benchmarks: cached Token under RunParallel (allocs, × time.Now),
## 1,000 callers on an expired token, 10,000 profiles (B/profile, goroutines);
## then 30 concurrent `tokentray token` processes in the private session (requests).
bench:
	.ci/deps.sh test
	$(GO) test -run '^$$' -bench . -benchmem -count=1 ./tokens/
	.ci/session $(GO) test -run '^$$' -bench CLIConcurrentProcesses -benchtime 1x -count=1 ./ui/e2e

clean:
	rm -rf tokentray tokentray-app tokentray.exe tokentray.com dist artifacts



## bench-app: the app (20 demo profiles) against a bare Fyne tray app with 20 menu
## items, window hidden then shown, in the private session with a tray host:
## RSS avg/max and idle CPU, medians of BENCH_RUNS=3 interleaved rounds, with
## ratios against the goals (memory ≤ 1.15×; CPU ≤ 1.2× hidden, shown ≤ 1.3×
## the bare window ticking once a second). BENCH_SECONDS=60 per run (set e.g.
## 10 for a quick look).
bench-app:
	.ci/deps.sh test
	.ci/bench-app

## bench-cli: the command line's hot path (cached token, exec-credential,
## git-credential get, exec, list of 50 profiles), with and without the tray
## app running, next to `secret-tool lookup` and a one-line Go program:
## medians of BENCH_RUNS=15 interleaved rounds of whole processes (wall,
## CPU, peak RSS) and the goals of issue 27. See .ci/bench-cli.
bench-cli:
	.ci/deps.sh test
	.ci/bench-cli

## windows: tokentray.exe, cross-built with MinGW (cgo, for Fyne's GLFW) as a
## GUI-subsystem program (no console window), and tokentray.com, the console
## program for the command line that cmd.exe and PowerShell find first.
## (make package-windows builds the same with the icon and version info.)
windows:
	.ci/deps.sh windows
	GOOS=windows CC=x86_64-w64-mingw32-gcc $(GO) build -ldflags=-H=windowsgui -o tokentray.exe .
	GOOS=windows CGO_ENABLED=0 $(GO) build -o tokentray.com ./ui/console

## package: dist/Tokentray.tar.xz via `fyne package` (fyne.io/tools, installed
## into ./bin if missing), checked to hold the binary, .desktop file and icon;
## then dist/tokentray_VERSION-1_ARCH.deb and dist/tokentray-VERSION-1.ARCH.rpm
## via nfpm (installed into ./bin likewise), checked for their files.
package:
	.ci/deps.sh package
	.ci/package linux
	.ci/package-linux

## package-check: installs the .deb of `make package` on this machine, checks
## --version, the man page, the desktop entry, the metainfo and bash
## completion (a profile name from the session's keyring), removes it and
## checks nothing is left; compares the .rpm's files (.ci/package-check).
package-check:
	.ci/deps.sh test package-check
	.ci/session .ci/package-check

## package-windows: dist/Tokentray-windows-amd64.zip with tokentray.exe (icon,
## version info and app ID embedded by `fyne package -os windows`) and
## tokentray.com, checked (subsystems, resources).
package-windows:
	.ci/deps.sh package windows
	.ci/package windows

## test-windows: the Windows package under Wine 8 on Xvfb in a throwaway
## prefix: the pure packages' tests, the command line against a loopback
## token server, cmd.exe, autostart, the window (screenshot in artifacts/),
## no console window, the tray icon. See .ci/test-windows.
test-windows: package-windows
	.ci/deps.sh windows-test
	.ci/test-windows
