package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

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
	got := tokens.MaskToken(long)
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
	if got := tokens.MaskToken(short); got != "ab••••gh" {
		t.Errorf("tokens.MaskToken(short) = %q", got)
	}
	if got := tokens.MaskToken(""); got != "" {
		t.Errorf("tokens.MaskToken(\"\") = %q", got)
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
