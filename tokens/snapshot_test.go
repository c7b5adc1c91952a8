package tokens

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func snapshotNames(s *Snapshot) string {
	var names []string
	for _, ps := range s.Profiles {
		names = append(names, ps.Profile.Name)
	}
	return strings.Join(names, ",")
}

func TestSnapshotsSortedAndSequenced(t *testing.T) {
	e := newEnv(t, ManagerOptions{}, profile("b"), profile("a"), profile("c"))
	s1 := e.m.Snapshot()
	if names := snapshotNames(s1); names != "a,b,c" {
		t.Fatalf("order %s", names)
	}
	if e.m.Snapshot() != s1 {
		t.Fatal("unchanged state published a new snapshot")
	}
	e.token("a", 0)
	s2 := e.m.Snapshot()
	if s2.Seq <= s1.Seq || s2.Profiles[0].Token == nil || s1.Profiles[0].Token != nil {
		t.Fatalf("after a fetch: seq %d→%d, token in new %v, old snapshot changed %v",
			s1.Seq, s2.Seq, s2.Profiles[0].Token != nil, s1.Profiles[0].Token != nil)
	}
}

func TestSlowSubscriberNeverBlocksAndGetsLatest(t *testing.T) {
	e := newEnv(t, ManagerOptions{})
	updates, cancel := e.m.Subscribe()
	defer cancel()
	// Nobody reads while the engine makes many changes.
	for i := range 200 {
		e.m.Put(profile(fmt.Sprintf("p%03d", i)))
		e.token(fmt.Sprintf("p%03d", i), 0)
	}
	latest := e.m.Snapshot()
	if len(updates) > 1 {
		t.Fatalf("%d snapshots queued", len(updates))
	}
	deadline := time.After(10 * time.Second)
	for {
		select {
		case s := <-updates:
			if s.Seq < latest.Seq {
				continue // an older one taken before the last change
			}
			if len(s.Profiles) != 200 || s.Profiles[199].Token == nil {
				t.Fatalf("latest snapshot incomplete: %d profiles", len(s.Profiles))
			}
			return
		case <-deadline:
			t.Fatal("subscriber never got the latest snapshot")
		}
	}
}

func TestSubscribeCancelAndClose(t *testing.T) {
	e := newEnv(t, ManagerOptions{}, profile("a"))
	u1, cancel1 := e.m.Subscribe()
	u2, _ := e.m.Subscribe()
	if s := <-u1; s == nil || len(s.Profiles) != 1 {
		t.Fatal("no initial snapshot")
	}
	cancel1()
	cancel1()
	if _, ok := <-u1; ok {
		t.Fatal("cancelled channel not closed")
	}
	e.m.Close()
	for range u2 { // drains, then ends because Close closed it
	}
}
