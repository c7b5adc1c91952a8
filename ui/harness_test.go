package ui

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/oauth"
	"github.com/tokentray/tokentray/ui/platform/portal"
)

// t0 is the simulated "now" most tests start from.
var t0 = time.Date(2025, 3, 14, 10, 0, 0, 0, time.Local)

// fakeEngine is an in-memory Engine whose state the test sets directly.
type fakeEngine struct {
	mu       sync.Mutex
	snap     *tokens.Snapshot
	subs     []chan *tokens.Snapshot
	token    func(ctx context.Context, name string, minValid time.Duration) (*tokens.Token, error)
	refresh  func(ctx context.Context, name string) (*tokens.Token, error)
	put      []tokens.Profile
	removed  []string
	profiles []tokens.Profile // last SetProfiles
	sets     int              // SetProfiles calls
	store    tokens.Store     // of the write path, like tokens.Manager's
	try      func(ctx context.Context, p tokens.Profile) (*tokens.Token, error)
	dropped  []string // DropToken calls, "name:token"
	autos    []int    // StartAutoRefresh calls: the SetProfiles count at each
}

func newFakeEngine() *fakeEngine { return &fakeEngine{snap: &tokens.Snapshot{}} }

// DropToken records the dropped tokens.
func (e *fakeEngine) DropToken(ctx context.Context, name string, t *tokens.Token) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.dropped = append(e.dropped, name+":"+t.AccessToken)
	return nil
}

func (e *fakeEngine) Snapshot() *tokens.Snapshot {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.snap
}

func (e *fakeEngine) Subscribe() (<-chan *tokens.Snapshot, func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	ch := make(chan *tokens.Snapshot, 1)
	e.subs = append(e.subs, ch)
	return ch, func() {}
}

// publish sets the snapshot (sorting profiles, bumping Seq) and sends it.
func (e *fakeEngine) publish(at time.Time, states ...tokens.ProfileState) *tokens.Snapshot {
	e.mu.Lock()
	defer e.mu.Unlock()
	ps := slices.Clone(states)
	slices.SortFunc(ps, func(a, b tokens.ProfileState) int { return strings.Compare(a.Profile.Name, b.Profile.Name) })
	s := &tokens.Snapshot{At: at, Seq: e.snap.Seq + 1, Profiles: ps}
	e.snap = s
	for _, ch := range e.subs {
		select {
		case <-ch:
		default:
		}
		ch <- s
	}
	return s
}

func (e *fakeEngine) Token(ctx context.Context, name string, minValid time.Duration) (*tokens.Token, error) {
	if e.token != nil {
		return e.token(ctx, name, minValid)
	}
	if ps, ok := e.Snapshot().Find(name); ok && ps.Token != nil {
		return ps.Token, nil
	}
	return nil, errUnknown
}

func (e *fakeEngine) Refresh(ctx context.Context, name string) (*tokens.Token, error) {
	if e.refresh != nil {
		return e.refresh(ctx, name)
	}
	return e.Token(ctx, name, 0)
}

func (e *fakeEngine) SetProfiles(ps []tokens.Profile) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.profiles = ps
	e.sets++
}

// names lists the profiles of the last SetProfiles.
func (e *fakeEngine) names() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var ns []string
	for _, p := range e.profiles {
		ns = append(ns, p.Name)
	}
	return ns
}

func (e *fakeEngine) Put(p tokens.Profile) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.put = append(e.put, p)
}

func (e *fakeEngine) Remove(name string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.removed = append(e.removed, name)
}

// SaveDraft writes the store, then Puts, as tokens.Manager does.
func (e *fakeEngine) SaveDraft(ctx context.Context, p tokens.Profile) error {
	return e.SaveProfile(ctx, "", p)
}

// SaveProfile writes the store, then Puts, as tokens.Manager does.
func (e *fakeEngine) SaveProfile(ctx context.Context, oldName string, p tokens.Profile) error {
	if err := e.store.Save(ctx, p); err != nil {
		return err
	}
	var renameErr error
	if oldName != "" && oldName != p.Name {
		if err := e.store.Delete(ctx, oldName); err != nil && !errors.Is(err, tokens.ErrNotFound) {
			renameErr = &tokens.RenameError{Old: oldName, Err: err}
		}
	}
	e.Put(p)
	if oldName != "" && oldName != p.Name && renameErr == nil {
		e.Remove(oldName)
	}
	return renameErr
}

// DeleteProfile deletes from the store, then Removes, as tokens.Manager does.
func (e *fakeEngine) DeleteProfile(ctx context.Context, name string) error {
	err := e.store.Delete(ctx, name)
	if err == nil || errors.Is(err, tokens.ErrNotFound) {
		e.Remove(name)
	}
	return err
}

// LoadProfiles loads the store into SetProfiles, as tokens.Manager does.
func (e *fakeEngine) LoadProfiles(ctx context.Context) ([]tokens.Profile, []*tokens.ProfileError, error) {
	ps, broken, err := e.store.Load(ctx)
	if err != nil {
		return nil, broken, err
	}
	e.SetProfiles(ps)
	return ps, broken, nil
}

// StartAutoRefresh records the call.
func (e *fakeEngine) StartAutoRefresh() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.autos = append(e.autos, e.sets)
}

// RepairStore repairs the store, then loads it, as tokens.Manager does.
func (e *fakeEngine) RepairStore(ctx context.Context) (tokens.RepairReport, error) {
	r, ok := e.store.(tokens.Repairer)
	if !ok {
		return tokens.RepairReport{}, tokens.ErrCannotList
	}
	rep, err := r.Repair(ctx)
	if err != nil {
		return rep, err
	}
	_, _, err = e.LoadProfiles(ctx)
	return rep, err
}

func (e *fakeEngine) TryProfile(ctx context.Context, p tokens.Profile) (*tokens.Token, error) {
	if e.try != nil {
		return e.try(ctx, p)
	}
	return nil, errors.New("fakeEngine: no TryProfile")
}

var errUnknown = errors.New("unknown profile")

// memStore is a Store in memory with injectable failures.
type memStore struct {
	mu        sync.Mutex
	profiles  map[string]tokens.Profile
	loadErr   error
	broken    []*tokens.ProfileError // reported by Load beside the profiles
	saveErr   error
	deleteErr error
	saves     int
	repairs   int
}

// Repair clears a damaged-index load error, as the keyring store's Repair
// does by rebuilding the index from the profile items.
func (s *memStore) Repair(context.Context) (tokens.RepairReport, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.repairs++
	rep := tokens.RepairReport{ListWasDamaged: errors.Is(s.loadErr, tokens.ErrDamagedIndex)}
	if s.loadErr != nil && !rep.ListWasDamaged {
		return tokens.RepairReport{}, s.loadErr
	}
	s.loadErr = nil
	for n := range s.profiles {
		rep.Profiles = append(rep.Profiles, n)
	}
	slices.Sort(rep.Profiles)
	if rep.ListWasDamaged {
		rep.Added = rep.Profiles
	}
	return rep, nil
}

func newMemStore(ps ...tokens.Profile) *memStore {
	s := &memStore{profiles: map[string]tokens.Profile{}}
	for _, p := range ps {
		s.profiles[p.Name] = p
	}
	return s
}

func (s *memStore) Load(context.Context) ([]tokens.Profile, []*tokens.ProfileError, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.loadErr != nil {
		return nil, nil, s.loadErr
	}
	var out []tokens.Profile
	for _, p := range s.profiles {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b tokens.Profile) int { return strings.Compare(a.Name, b.Name) })
	return out, s.broken, nil
}

func (s *memStore) Save(_ context.Context, p tokens.Profile) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.saves++
	if s.saveErr != nil {
		return s.saveErr
	}
	s.profiles[p.Name] = p
	return nil
}

func (s *memStore) Delete(_ context.Context, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.deleteErr != nil {
		return s.deleteErr
	}
	if _, ok := s.profiles[name]; !ok {
		return fmt.Errorf("profile %q: %w", name, tokens.ErrNotFound)
	}
	delete(s.profiles, name)
	return nil
}

func (s *memStore) LoadToken(context.Context, string) (*tokens.Token, error) {
	return nil, tokens.ErrNotFound
}
func (s *memStore) SaveToken(context.Context, string, *tokens.Token) error { return nil }

func (s *memStore) get(name string) (tokens.Profile, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.profiles[name]
	return p, ok
}

// fakeHost records tray updates.
type fakeHost struct {
	menus   []*fyne.Menu
	tooltip string
	icons   []fyne.Resource
}

func (h *fakeHost) SetSystemTrayMenu(m *fyne.Menu)    { h.menus = append(h.menus, m) }
func (h *fakeHost) SetSystemTrayTooltip(s string)     { h.tooltip = s }
func (h *fakeHost) SetSystemTrayIcon(r fyne.Resource) { h.icons = append(h.icons, r) }

type note struct{ title, body string }

type fakeTimer struct {
	at      time.Time
	f       func()
	stopped bool
	fired   bool
}

// harness runs a controller against fakes. Background and UI work is
// queued and run by settle on the test goroutine, so every test is
// deterministic and race-free; the clock moves only when told to.
type harness struct {
	t     *testing.T
	app   fyne.App
	eng   *fakeEngine
	store *memStore
	host  *fakeHost
	c     *controller

	noTray bool // what trayCheck reports

	mu     sync.Mutex
	now    time.Time
	bgq    []func()
	uiq    []func()
	notes  []note
	timers []*fakeTimer
}

func newHarness(t *testing.T, o Options) *harness {
	t.Helper()
	h := &harness{t: t, app: test.NewTempApp(t), eng: newFakeEngine(), store: newMemStore(), host: &fakeHost{}, now: t0}
	if o.Engine == nil {
		o.Engine = h.eng
	}
	h.eng.store = h.store
	if o.Requests == nil { // as wired in production: Copy as curl describes through the HTTP client
		o.Requests = oauth.NewClient(oauth.ClientOptions{})
	}
	h.c = newController(o, env{
		app:  h.app,
		host: h.host,
		now:  h.clock,
		ui: func(f func()) {
			h.mu.Lock()
			h.uiq = append(h.uiq, f)
			h.mu.Unlock()
		},
		bg: func(f func()) {
			h.mu.Lock()
			h.bgq = append(h.bgq, f)
			h.mu.Unlock()
		},
		after: func(d time.Duration, f func()) func() bool {
			h.mu.Lock()
			defer h.mu.Unlock()
			ft := &fakeTimer{at: h.now.Add(d), f: f}
			h.timers = append(h.timers, ft)
			return func() bool { was := !ft.stopped && !ft.fired; ft.stopped = true; return was }
		},
		notify: func(title, body string) {
			h.mu.Lock()
			h.notes = append(h.notes, note{title, body})
			h.mu.Unlock()
		},
		ticker:    func(time.Duration) (<-chan time.Time, func()) { return nil, func() {} },
		trayCheck: func(context.Context) bool { return !h.noTray },
		// No real X grab in unit tests; hotkey_test.go sets its own.
		hotkeySupported: func() bool { return false },
		// No desktop portal in unit tests: Fyne's chooser (portal_test.go has its own).
		chooseFile: func(context.Context, string, bool, []portal.Filter) (string, error) { return "", portal.ErrUnavailable },
	})
	return h
}

func (h *harness) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

// advance moves the clock and fires due timers (their callbacks queue UI
// work, which settle runs).
func (h *harness) advance(d time.Duration) {
	h.mu.Lock()
	h.now = h.now.Add(d)
	var due []func()
	for _, ft := range h.timers {
		if !ft.stopped && !ft.fired && !ft.at.After(h.now) {
			ft.fired = true
			due = append(due, ft.f)
		}
	}
	h.mu.Unlock()
	for _, f := range due {
		f()
	}
	h.settle()
}

// settle runs queued background and UI work until none is left.
func (h *harness) settle() {
	for range 1000 {
		h.mu.Lock()
		var f func()
		switch {
		case len(h.bgq) > 0:
			f, h.bgq = h.bgq[0], h.bgq[1:]
		case len(h.uiq) > 0:
			f, h.uiq = h.uiq[0], h.uiq[1:]
		}
		h.mu.Unlock()
		if f == nil {
			return
		}
		f()
	}
	h.t.Fatal("settle: work keeps coming")
}

func (h *harness) takeNotes() []note {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := h.notes
	h.notes = nil
	return n
}

// publish makes the engine publish states and the controller apply them,
// as the subscriber goroutine would.
func (h *harness) publish(states ...tokens.ProfileState) *tokens.Snapshot {
	s := h.eng.publish(h.clock(), states...)
	h.c.deliver(s)
	h.settle()
	return s
}

// fixtures

func testProfile(name string) tokens.Profile {
	return tokens.Profile{Name: name, TokenURL: "https://auth.example.com/token", ClientID: name + "-client", ClientSecret: "s3cret"}.Normalized()
}

// token returns a token issued at issued that lives life.
func token(access string, issued time.Time, life time.Duration) *tokens.Token {
	return &tokens.Token{AccessToken: access, TokenType: "Bearer", IssuedAt: issued, ExpiresAt: issued.Add(life), ExpirySource: tokens.ExpiryFromExpiresIn}
}

func freshState(name string, tok *tokens.Token) tokens.ProfileState {
	return tokens.ProfileState{Profile: testProfile(name), Token: tok, LastRefresh: tok.IssuedAt, LastAttempt: tok.IssuedAt,
		NextRefresh: tok.ExpiresAt.Add(-5 * time.Minute)}
}

// makeJWT builds an unsigned JWT for display tests.
func makeJWT(header, claims map[string]any) string {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(header) + "." + enc(claims) + ".c2ln"
}
