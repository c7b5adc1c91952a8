//go:build linux || freebsd || openbsd || netbsd

package secretclip

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"github.com/tokentray/tokentray/ui/platform/xconn"
)

// x11Board owns the CLIPBOARD selection through a connection and an
// unmapped window of its own, and answers other programs' requests for
// it (ICCCM §2): the text as UTF8_STRING, STRING (when it is Latin-1)
// and text/plain, plus the secret mark.
type x11Board struct {
	conn  *xgb.Conn
	win   xproto.Window
	atoms x11Atoms
	max   int // the largest text one ChangeProperty can carry

	puts   sync.Mutex            // one Put or Clear at a time
	stamps chan xproto.Timestamp // server times from PropertyNotify on win
	done   chan struct{}         // closed when the event loop ends

	mu    sync.Mutex // guards the fields below, read by the event loop
	text  string     // what is offered; meaningful while owned
	owned bool       // we own CLIPBOARD as far as we know
	since xproto.Timestamp
}

type x11Atoms struct {
	clipboard, targets, timestamp, utf8, text, plain, plainUTF8, hint, stamp xproto.Atom
}

// hintTarget is the target clipboard managers look for, and hintValue
// what it must hold for them to skip the content.
const (
	hintTarget = "x-kde-passwordManagerHint"
	hintValue  = "secret"
)

// stampWait bounds the wait for the server's time stamp.
const stampWait = 2 * time.Second

func open() (Board, error) {
	if os.Getenv("DISPLAY") == "" {
		return nil, ErrUnsupported
	}
	conn, err := xconn.Open()
	if err != nil {
		return nil, fmt.Errorf("secretclip: connect to the X display: %w", err)
	}
	b := &x11Board{conn: conn, stamps: make(chan xproto.Timestamp, 1), done: make(chan struct{})}
	if err := b.setup(); err != nil {
		conn.Close()
		return nil, err
	}
	go b.loop()
	return b, nil
}

func (b *x11Board) setup() error {
	setup := xproto.Setup(b.conn)
	// A request is at most MaximumRequestLength 4-byte units; the
	// ChangeProperty header takes 24 bytes. Keep a margin.
	b.max = int(setup.MaximumRequestLength)*4 - 64
	names := []struct {
		name string
		atom *xproto.Atom
	}{
		{"CLIPBOARD", &b.atoms.clipboard}, {"TARGETS", &b.atoms.targets},
		{"TIMESTAMP", &b.atoms.timestamp}, {"UTF8_STRING", &b.atoms.utf8},
		{"TEXT", &b.atoms.text}, {"text/plain", &b.atoms.plain},
		{"text/plain;charset=utf-8", &b.atoms.plainUTF8}, {hintTarget, &b.atoms.hint},
		{"_TOKENTRAY_STAMP", &b.atoms.stamp},
	}
	cookies := make([]xproto.InternAtomCookie, len(names))
	for i, n := range names {
		cookies[i] = xproto.InternAtom(b.conn, false, uint16(len(n.name)), n.name)
	}
	for i, c := range cookies {
		r, err := c.Reply()
		if err != nil {
			return fmt.Errorf("secretclip: intern %s: %w", names[i].name, err)
		}
		*names[i].atom = r.Atom
	}
	win, err := xproto.NewWindowId(b.conn)
	if err != nil {
		return fmt.Errorf("secretclip: window id: %w", err)
	}
	screen := setup.DefaultScreen(b.conn)
	// An unmapped InputOnly window: never seen, it only owns the selection
	// and gets PropertyNotify for time stamps.
	err = xproto.CreateWindowChecked(b.conn, 0, win, screen.Root, -10, -10, 1, 1, 0,
		xproto.WindowClassInputOnly, screen.RootVisual,
		xproto.CwEventMask, []uint32{xproto.EventMaskPropertyChange}).Check()
	if err != nil {
		return fmt.Errorf("secretclip: create window: %w", err)
	}
	b.win = win
	return nil
}

// loop handles the connection's events until it closes.
func (b *x11Board) loop() {
	defer close(b.done)
	for {
		ev, xerr := b.conn.WaitForEvent()
		if ev == nil && xerr == nil {
			return // closed
		}
		switch e := ev.(type) {
		case xproto.PropertyNotifyEvent:
			if e.Window == b.win && e.Atom == b.atoms.stamp {
				select {
				case b.stamps <- e.Time:
				default:
				}
			}
		case xproto.SelectionRequestEvent:
			b.answer(e)
		case xproto.SelectionClearEvent:
			if e.Selection == b.atoms.clipboard {
				b.mu.Lock()
				b.owned, b.text = false, ""
				b.mu.Unlock()
			}
		}
	}
}

// stamp gets a server time stamp, as ICCCM §2.1 asks of a new owner (not
// CurrentTime): a zero-length append to a property of our window, whose
// PropertyNotify carries the time.
func (b *x11Board) stamp() (xproto.Timestamp, error) {
	select { // drop a stale one
	case <-b.stamps:
	default:
	}
	xproto.ChangeProperty(b.conn, xproto.PropModeAppend, b.win, b.atoms.stamp, xproto.AtomString, 8, 0, nil)
	select {
	case t := <-b.stamps:
		return t, nil
	case <-b.done:
		return 0, errors.New("secretclip: the X connection closed")
	case <-time.After(stampWait):
		return 0, errors.New("secretclip: no time stamp from the X server")
	}
}

func (b *x11Board) Put(text string) error {
	if len(text) > b.max {
		return ErrTooLarge
	}
	b.puts.Lock()
	defer b.puts.Unlock()
	t, err := b.stamp()
	if err != nil {
		return err
	}
	b.mu.Lock()
	b.text, b.owned, b.since = text, true, t
	b.mu.Unlock()
	xproto.SetSelectionOwner(b.conn, b.win, b.atoms.clipboard, t)
	r, err := xproto.GetSelectionOwner(b.conn, b.atoms.clipboard).Reply()
	if err == nil && r.Owner != b.win {
		err = errors.New("another program kept the clipboard")
	}
	if err != nil {
		b.mu.Lock()
		b.owned, b.text = false, ""
		b.mu.Unlock()
		return fmt.Errorf("secretclip: take the clipboard: %w", err)
	}
	return nil
}

func (b *x11Board) Holds(text string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.owned && b.text == text
}

func (b *x11Board) Clear(text string) bool {
	b.puts.Lock()
	defer b.puts.Unlock()
	b.mu.Lock()
	if !b.owned || b.text != text {
		b.mu.Unlock()
		return false
	}
	t := b.since
	b.owned, b.text = false, ""
	b.mu.Unlock()
	// With our own time stamp: should another program have taken the
	// clipboard a moment ago (its SelectionClear not yet read), the server
	// ignores this, as its time is later than ours.
	xproto.SetSelectionOwner(b.conn, xproto.AtomNone, b.atoms.clipboard, t)
	_, _ = xproto.GetInputFocus(b.conn).Reply() // wait until the server has done it
	return true
}

func (b *x11Board) Close() error {
	b.conn.Close()
	<-b.done
	return nil
}

// answer serves one SelectionRequest: the property is written, then the
// requestor is told; a request it cannot serve gets property None.
func (b *x11Board) answer(e xproto.SelectionRequestEvent) {
	prop := e.Property
	if prop == xproto.AtomNone {
		prop = e.Target // an obsolete client (ICCCM §2.2)
	}
	b.mu.Lock()
	text, owned, since := b.text, b.owned, b.since
	b.mu.Unlock()
	served := owned && e.Selection == b.atoms.clipboard && e.Owner == b.win &&
		(e.Time == xproto.TimeCurrentTime || e.Time >= since) &&
		b.write(e.Requestor, prop, e.Target, text, since)
	reply := xproto.SelectionNotifyEvent{Time: e.Time, Requestor: e.Requestor,
		Selection: e.Selection, Target: e.Target, Property: prop}
	if !served {
		reply.Property = xproto.AtomNone
	}
	xproto.SendEvent(b.conn, false, e.Requestor, xproto.EventMaskNoEvent, string(reply.Bytes()))
}

// write puts the value of target on the requestor's property, and
// reports whether target is one this board offers.
func (b *x11Board) write(to xproto.Window, prop, target xproto.Atom, text string, since xproto.Timestamp) bool {
	a := b.atoms
	change := func(typ xproto.Atom, format byte, units int, data []byte) {
		xproto.ChangeProperty(b.conn, xproto.PropModeReplace, to, prop, typ, format, uint32(units), data)
	}
	switch target {
	case a.targets:
		offered := []xproto.Atom{a.targets, a.timestamp, a.utf8, a.text, a.plainUTF8, a.hint}
		if _, ok := toLatin1(text); ok {
			offered = append(offered, xproto.AtomString, a.plain)
		}
		data := make([]byte, 4*len(offered))
		for i, atom := range offered {
			xgb.Put32(data[4*i:], uint32(atom))
		}
		change(xproto.AtomAtom, 32, len(offered), data)
	case a.timestamp:
		data := make([]byte, 4)
		xgb.Put32(data, uint32(since))
		change(xproto.AtomInteger, 32, 1, data)
	case a.utf8, a.text, a.plainUTF8:
		typ := a.utf8
		if target == a.plainUTF8 {
			typ = target
		}
		change(typ, 8, len(text), []byte(text))
	case xproto.AtomString, a.plain:
		latin1, ok := toLatin1(text)
		if !ok {
			return false
		}
		change(target, 8, len(latin1), latin1)
	case a.hint:
		change(a.hint, 8, len(hintValue), []byte(hintValue))
	default:
		return false
	}
	return true
}

// toLatin1 converts text to ISO 8859-1, the encoding of STRING; ok is
// false when text has other characters. Tokens are ASCII.
func toLatin1(text string) (out []byte, ok bool) {
	out = make([]byte, 0, len(text))
	for _, r := range text {
		if r > 0xff { // U+FFFD, for invalid UTF-8, too
			return nil, false
		}
		out = append(out, byte(r))
	}
	return out, true
}
