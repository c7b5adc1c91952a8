package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

func TestCoarseLeft(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "< 1 min"},
		{59 * time.Second, "< 1 min"},
		{time.Minute, "1 min"},
		{time.Minute + 57*time.Second, "2 min"},    // rounded up, never down (issue 11)
		{42*time.Minute + 1*time.Second, "43 min"}, // rounded up
		{59*time.Minute + 59*time.Second, "1 h"},   // rounded up
		{time.Hour, "1 h"},
		{65 * time.Minute, "1 h 5 min"},
		{23*time.Hour + 59*time.Minute, "23 h 59 min"},
		{24 * time.Hour, "1 d"},
		{27*time.Hour + 30*time.Minute, "1 d 4 h"},
	} {
		if got := coarseLeft(tc.d); got != tc.want {
			t.Errorf("coarseLeft(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestPreciseLeft(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, "0 s"},
		{44*time.Second + time.Millisecond, "45 s"},
		{time.Minute + 57*time.Second, "1 min 57 s"}, // not "1 min"
		{2 * time.Minute, "2 min"},
		{9*time.Minute + 59*time.Second + 1, "10 min"},
		{42*time.Minute + 1*time.Second, "43 min"},
	} {
		if got := preciseLeft(tc.d); got != tc.want {
			t.Errorf("preciseLeft(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestClockLeft(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{-5 * time.Second, "0:00"},
		{0, "0:00"},
		{999 * time.Millisecond, "0:00"},
		{61 * time.Second, "1:01"},
		{41*time.Minute + 7*time.Second, "41:07"},
		{59*time.Minute + 59*time.Second, "59:59"},
		{time.Hour + 5*time.Minute + 9*time.Second, "1:05:09"},
		{50 * time.Hour, "2 d 2 h"},
	} {
		if got := clockLeft(tc.d); got != tc.want {
			t.Errorf("clockLeft(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestHumanDuration(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{30 * time.Second, "30 s"},
		{90 * time.Second, "1 min 30 s"},
		{5 * time.Minute, "5 min"},
		{50 * time.Minute, "50 min"},
		{90 * time.Minute, "1 h 30 min"},
	} {
		if got := humanDuration(tc.d); got != tc.want {
			t.Errorf("humanDuration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestAgo(t *testing.T) {
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{t0.Add(-10 * time.Second), "just now"},
		{t0.Add(-3 * time.Minute), "3 min ago"},
		{t0.Add(-2 * time.Hour), "2 h ago"},
		// a future time is never rounded down: "(in 1 min)" with 1:57 to go
		// read as if the token were about to expire
		{t0.Add(3*time.Minute + 10*time.Second), "in 3 min 10 s"},
		{t0.Add(time.Minute + 56*time.Second + 500*time.Millisecond), "in 1 min 57 s"},
		{t0.Add(42*time.Minute + time.Second), "in 43 min"},
	} {
		if got := ago(tc.t, t0); got != tc.want {
			t.Errorf("ago(%v) = %q, want %q", tc.t.Sub(t0), got, tc.want)
		}
	}
}

func TestLocalTime(t *testing.T) {
	if got := localTime(t0.Add(2*time.Hour+5*time.Second), t0); got != "12:00:05" {
		t.Errorf("same day: %q", got)
	}
	if got := localTime(t0.Add(-48*time.Hour), t0); got != "Wed 12 Mar 10:00:00" {
		t.Errorf("same year: %q", got)
	}
	if got := localTime(t0.AddDate(-1, 0, 0), t0); got != "14 Mar 2024 10:00:00" {
		t.Errorf("other year: %q", got)
	}
	if got := localTime(time.Time{}, t0); got != "—" {
		t.Errorf("zero: %q", got)
	}
}

func TestMaskToken(t *testing.T) {
	long := "eyJhbGciOiJSUzI1NiJ9.payload.signature-part-xyz1"
	got := maskToken(long)
	if !strings.HasPrefix(got, "eyJh") || !strings.HasSuffix(got, "xyz1") {
		t.Errorf("maskToken keeps the ends: %q", got)
	}
	if strings.Contains(got, "payload") {
		t.Errorf("maskToken shows the middle: %q", got)
	}
	if n := strings.Count(got, "•"); n != 24 {
		t.Errorf("maskToken caps the dots at 24, got %d", n)
	}
	short := "abcdefgh" // 8 runes: at most a third shown on each side
	if got := maskToken(short); got != "ab••••gh" {
		t.Errorf("maskToken(short) = %q", got)
	}
	if got := maskToken(""); got != "" {
		t.Errorf("maskToken(\"\") = %q", got)
	}
}

func TestProfileRowsMaskURLQueries(t *testing.T) {
	for _, p := range []tokens.Profile{
		{TokenURL: "https://auth.example.com/token?tenant=query-value-1"},
		{IssuerURL: "https://u:query-value-1@auth.example.com/"},
	} {
		for _, r := range profileRows(p) {
			if strings.Contains(r.Value, "query-value-1") {
				t.Errorf("the details show %q", r.Value)
			}
		}
	}
}
