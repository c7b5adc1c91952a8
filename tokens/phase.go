package tokens

// phase is where one profile (one entry) stands in its fetch cycle. Only
// the Manager changes it, holding Manager.mu:
//
//	idle ──fetch──▶ fetching ──ok──────────▶ idle
//	                         ──transient──▶ backingOff ──retryAt──▶ fetching
//	                         ──permanent──▶ stopped ──Refresh or edit──▶ idle
//	any ──replaced or removed──▶ retired
//
// Whether auto-refresh is on (entry.wanted) and whether the cached token is
// still to be read (entry.seed) are separate from the phase.
type phase uint8

const (
	// phaseIdle: not fetching; the next fetch is due at expiry − lead
	// (or at once without a token) when auto-refresh is on.
	phaseIdle phase = iota
	// phaseFetching: entry.flight is under way; callers join it.
	phaseFetching
	// phaseBackingOff: the last fetch failed transiently; the next
	// automatic one is at entry.retryAt.
	phaseBackingOff
	// phaseStopped: a permanent error stopped auto-refresh until the
	// profile changes or Refresh is called.
	phaseStopped
	// phaseRetired: the entry was replaced or removed; the results of its
	// work are ignored.
	phaseRetired
)

// retired reports whether e was replaced or removed. m.mu is held.
func (e *entry) retired() bool { return e.phase == phaseRetired }

// liftStop ends a stop or a backoff (the profile changed, or a token came
// from elsewhere), unless a fetch is under way. m.mu is held.
func (e *entry) liftStop() {
	if e.phase == phaseStopped || e.phase == phaseBackingOff {
		e.phase = phaseIdle
	}
}
