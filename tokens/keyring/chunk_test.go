package keyring

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/storetest"
)

func TestSplitChunksASCIIBoundaries(t *testing.T) {
	const size = 8
	for _, n := range []int{0, 1, size - 1, size, size + 1, 2*size - 1, 2 * size, 2*size + 1, 5 * size} {
		s := strings.Repeat("x", n)
		chunks := splitChunks(s, size)
		want := max(1, (n+size-1)/size)
		if len(chunks) != want {
			t.Errorf("len %d: %d chunks, want %d", n, len(chunks), want)
		}
		for i, c := range chunks {
			if i < len(chunks)-1 && len(c) != size {
				t.Errorf("len %d: chunk %d has %d bytes, want a full %d", n, i, len(c), size)
			}
		}
		if strings.Join(chunks, "") != s {
			t.Errorf("len %d: chunks do not join back", n)
		}
	}
}

func TestSplitChunksNeverCutsARune(t *testing.T) {
	const size = 8
	for _, r := range []string{"é", "€", "😀"} {
		for prefix := range size + 1 {
			s := strings.Repeat("a", prefix) + strings.Repeat(r, 9) + "z"
			chunks := splitChunks(s, size)
			for i, c := range chunks {
				if len(c) > size || len(c) == 0 {
					t.Fatalf("%q prefix %d: chunk %d has %d bytes", r, prefix, i, len(c))
				}
				if !utf8.ValidString(c) {
					t.Fatalf("%q prefix %d: chunk %d %q is not valid UTF-8", r, prefix, i, c)
				}
			}
			if strings.Join(chunks, "") != s {
				t.Fatalf("%q prefix %d: chunks do not join back", r, prefix)
			}
		}
	}
}

// profileOfEncodedLen returns a profile whose stored record is exactly n
// bytes (n ≥ 46), padding the client ID.
func profileOfEncodedLen(t *testing.T, name string, n int) tokens.Profile {
	p := tokens.Profile{Name: name, ClientID: "c"}
	raw, err := tokens.EncodeProfile(p)
	if err != nil {
		t.Fatal(err)
	}
	if n < len(raw) {
		t.Fatalf("cannot build a %d-byte record (minimum %d)", n, len(raw))
	}
	p.ClientID = strings.Repeat("c", n-len(raw)+1)
	if raw, _ := tokens.EncodeProfile(p); len(raw) != n {
		t.Fatalf("built a %d-byte record, want %d", len(raw), n)
	}
	return p
}

func TestKeyringStoreChunkBoundaries(t *testing.T) {
	const size = 64
	ctx := context.Background()
	for _, n := range []int{size - 1, size, size + 1, 2*size - 1, 2 * size, 2*size + 1, 7 * size} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			f := newFakeKeyring()
			s := newKeyringStore(f, Options{Service: "svc"})
			s.chunkSize = size
			p := profileOfEncodedLen(t, "p", n)
			if err := s.Save(ctx, p); err != nil {
				t.Fatal(err)
			}
			storetest.MustLoad(t, s, p)
			var h recordHeader
			raw, _ := f.value("svc", "profile/p")
			if err := json.Unmarshal([]byte(raw), &h); err != nil {
				t.Fatal(err)
			}
			want := (n + size - 1) / size
			if h.N != want || h.Len != n {
				t.Errorf("header says %d chunks, %d bytes; want %d, %d", h.N, h.Len, want, n)
			}
			for i := range want + 1 {
				_, ok := f.value("svc", chunkKey("profile/p", 1, i))
				if ok != (i < want) {
					t.Errorf("chunk %d present = %v, want %v", i, ok, i < want)
				}
			}
			// Rewriting with one chunk fewer must not leave the old last chunk.
			q := profileOfEncodedLen(t, "p", max(n-size, 46))
			if err := s.Save(ctx, q); err != nil {
				t.Fatal(err)
			}
			storetest.MustLoad(t, s, q)
			for _, u := range f.users("svc") {
				if strings.HasPrefix(u, "profile/p/1/") {
					t.Errorf("old chunk %s left behind", u)
				}
			}
		})
	}
}
