package tokens

// The Manager's lifecycle: every background goroutine starts through
// goBackground, which counts it; settle waits for the count to reach zero;
// Close stops new work, cancels what runs and waits (boundedly) for it.

import "time"

// Close stops background work: Run returns, fetches under way are
// cancelled, subscriber channels are closed. It waits, at most a few
// seconds, for pending cache writes and background goroutines to finish
// (all are gone when it returns unless a Fetcher or Cache ignored its
// context that long).
// Cached tokens stay readable through Token. Close is idempotent.
func (m *Manager) Close() {
	m.closeOnce.Do(func() {
		m.mu.Lock()
		m.closed = true
		m.cancel()
		for s := range m.subs {
			close(s.ch)
		}
		clear(m.subs)
		notifier := m.notifier
		m.mu.Unlock()
		m.idle.Broadcast()
		allDone := make(chan struct{})
		go func() { m.settle(); close(allDone) }() // ends once the work does
		t := time.NewTimer(m.closeWait)
		defer t.Stop()
		select {
		case <-allDone:
		case <-t.C:
		}
		m.saveCancel()
		if notifier != nil {
			<-notifier // it only waits on its timer or the cancelled m.base
		}
	})
}

// goBackground runs fn on a new goroutine counted as background work, which
// settle and Close wait for. It is the only way the Manager starts work
// goroutines. Nothing starts after Close (it returns false). m.mu is held.
func (m *Manager) goBackground(fn func()) bool {
	if m.closed {
		return false
	}
	m.active.Add(1)
	go func() {
		defer func() {
			// Leaving takes no lock unless it is the last: a goroutine that
			// queued for mu here only to leave stayed alive (for up to a
			// millisecond, or longer on a busy machine) while the callers it
			// had just served started new fetches, so finished goroutines
			// piled up under CPU load. The Broadcast is under mu after the
			// count reached zero, so settle, which checks the count under mu,
			// cannot miss it.
			if m.active.Add(-1) == 0 {
				m.mu.Lock()
				m.idle.Broadcast()
				m.mu.Unlock()
			}
		}()
		fn()
	}()
	return true
}

// settle waits until no background work (fetch, worker, cache read or
// write) is under way: for Close, and for tests driving runDue with a fake
// clock.
func (m *Manager) settle() {
	m.mu.Lock()
	for m.active.Load() > 0 {
		m.idle.Wait()
	}
	m.mu.Unlock()
}
