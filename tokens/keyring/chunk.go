package keyring

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/tokentray/tokentray/tokens"
)

// A record is one logical value (a profile, a token, the index) stored over
// several keyring items, because OS keyrings refuse big values: Windows'
// Credential Manager takes at most 2,560 bytes, and go-keyring on macOS
// base64-encodes the value into a 4,096-byte command line.
//
// The record's key holds a small header; the value itself is cut into chunks
// stored under "KEY/GEN/I":
//
//	KEY          {"v":1,"gen":G,"n":N,"len":L,"sha256":"…","prev":P,"prev_n":M}
//	KEY/G/0 … KEY/G/N-1   the value, cut at UTF-8 boundaries, ≤ maxChunk bytes each
//
// A value small enough for the platform is kept inline instead, in the
// header itself (format version 2, one item, one read):
//
//	KEY          {"v":2,"gen":G,"value":"…","prev":P,"prev_n":M}
//
// Version 1 (chunked) records, which every store before version 2 wrote,
// stay readable; a store that inlines rewrites the ones it reads in its
// first read of them (migrate.go), and any write replaces one. Older
// programs refuse a version 2 header as "unknown format version 2".
//
// A write puts the new chunks under generation G+1 first, then replaces the
// header (one keyring Set, atomic), then deletes generation G. A crash or
// failure at any point leaves a header naming a complete generation, so a
// reader never sees a mix; the sha256 in the header proves it. Leftovers are
// reclaimed by the next write or delete of the same record: an interrupted
// write's chunks live at G+1, which the next write overwrites and probes; an
// interrupted clean-up is recorded in the new header as prev/prev_n. Items
// can be orphaned for good only when a header is unreadable (its chunks
// cannot be found) or when the clean-up of an interrupted write is itself
// interrupted; orphans are never read, and they stay in the keyring.

// maxChunk is the largest chunk value in bytes. Windows allows 2,560 bytes;
// on macOS base64 makes 2,048 of 1,536, leaving room in the 4,096-byte
// command for the service and item names. The Secret Service has no limit.
const maxChunk = 1536

// recordHeader is the JSON value of a record's key.
type recordHeader struct {
	V      int    `json:"v"`
	Gen    uint64 `json:"gen"`
	N      int    `json:"n,omitempty"`
	Len    int    `json:"len,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
	// Value is the whole value of an inline (version 2) record.
	Value *string `json:"value,omitempty"`
	Prev  uint64  `json:"prev,omitempty"`
	PrevN int     `json:"prev_n,omitempty"`
}

// inline reports whether h is a version 2 header holding its value.
func (h *recordHeader) inline() bool { return h.V == 2 }

func corrupt(item, format string, args ...any) error {
	return fmt.Errorf("%w: %q: %s", tokens.ErrCorruptItem, item, fmt.Sprintf(format, args...))
}

// splitChunks cuts s into pieces of at most max bytes (max ≥ utf8.UTFMax),
// never inside a UTF-8 sequence, so each piece is valid text when s is.
// The empty string gives one empty chunk.
func splitChunks(s string, max int) []string {
	if max < utf8.UTFMax {
		panic("chunk size too small")
	}
	chunks := make([]string, 0, len(s)/max+1)
	for len(s) > max {
		end := max
		for end > max-utf8.UTFMax && !utf8.RuneStart(s[end]) {
			end--
		}
		chunks = append(chunks, s[:end])
		s = s[end:]
	}
	return append(chunks, s)
}

func checksum(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func chunkKey(key string, gen uint64, i int) string {
	return key + "/" + strconv.FormatUint(gen, 10) + "/" + strconv.Itoa(i)
}

// readHeader returns the record's header, an error wrapping errItemNotFound
// when there is none, or ErrCorruptItem when it cannot be parsed.
func (s *keyringStore) readHeader(ctx context.Context, key string) (*recordHeader, error) {
	raw, err := s.get(ctx, key)
	if err != nil {
		return nil, err
	}
	return parseHeader(key, raw)
}

// parseHeader parses and checks the header item of key. An inline header
// comes back with Len and SHA256 filled in from its value.
func parseHeader(key, raw string) (*recordHeader, error) {
	var h recordHeader
	if err := json.Unmarshal([]byte(raw), &h); err != nil {
		return nil, corrupt(key, "header is not JSON")
	}
	switch {
	case h.V == 2:
		if h.Gen == 0 || h.Value == nil || h.N != 0 {
			return nil, corrupt(key, "header is incomplete")
		}
		h.Len, h.SHA256 = len(*h.Value), checksum(*h.Value)
	case h.V != 1:
		return nil, corrupt(key, "unknown format version %d", h.V)
	case h.Gen == 0 || h.N < 1 || h.N > 1<<16 || h.Len < 0 || len(h.SHA256) != 2*sha256.Size:
		return nil, corrupt(key, "header is incomplete")
	}
	return &h, nil
}

// readRecord returns the record's value and header. A missing record gives
// an error wrapping errItemNotFound; a damaged one, ErrCorruptItem.
func (s *keyringStore) readRecord(ctx context.Context, key string) (string, *recordHeader, error) {
	for attempt := 0; ; attempt++ {
		h, err := s.readHeader(ctx, key)
		if err != nil {
			return "", nil, err
		}
		if h.inline() {
			return *h.Value, h, nil
		}
		value, err := s.readChunks(ctx, key, h)
		if err == nil || !errors.Is(err, tokens.ErrCorruptItem) || attempt == 2 {
			return value, h, err
		}
		// Another process may have replaced the record between our reads;
		// in-process writers are excluded by the store's mutex. Retry only
		// if the header has changed since.
		if again, herr := s.readHeader(ctx, key); herr != nil || *again == *h {
			return "", nil, err
		}
	}
}

func (s *keyringStore) readChunks(ctx context.Context, key string, h *recordHeader) (string, error) {
	items := make([]string, h.N)
	parts := make([]string, h.N)
	errs := make([]error, h.N)
	for i := range h.N {
		items[i] = chunkKey(key, h.Gen, i)
		parts[i], errs[i] = s.get(ctx, items[i])
		if errs[i] != nil {
			break // assemble reports the first failure
		}
	}
	return assemble(key, h, items, parts, errs)
}

// writeRecord stores value under key (see the protocol above). On error the
// previous value is still readable, unless the error is a timeout of the
// header write itself, after which either the old or the new value is.
func (s *keyringStore) writeRecord(ctx context.Context, key, value string) error {
	old, err := s.readHeader(ctx, key)
	switch {
	case errors.Is(err, errItemNotFound), errors.Is(err, tokens.ErrCorruptItem):
		old = nil // a corrupt header is replaced; its chunks cannot be found
	case err != nil:
		return err
	}
	h := recordHeader{V: 1, Gen: 1, Len: len(value), SHA256: checksum(value)}
	if old != nil {
		// Finish a clean-up an earlier write left undone; its generation is
		// forgotten once the new header replaces old.
		if err := s.purge(ctx, key, old.Prev, old.PrevN); err != nil {
			return err
		}
		h.Gen = old.Gen + 1
		if old.N > 0 { // an inline record has no chunks to remove
			h.Prev, h.PrevN = old.Gen, old.N
		}
	}
	if raw, ok := s.inlineHeader(h, value); ok {
		// An interrupted chunked write may have left chunks in this generation.
		if err := s.purgeRun(ctx, key, h.Gen, 0); err != nil {
			return err
		}
		if err := s.set(ctx, key, raw); err != nil {
			return err
		}
		if h.Prev != 0 {
			_ = s.purge(ctx, key, h.Prev, h.PrevN)
		}
		return nil
	}
	chunks := splitChunks(value, s.chunkSize)
	h.N = len(chunks)
	for i, c := range chunks {
		if err := s.set(ctx, chunkKey(key, h.Gen, i), c); err != nil {
			return err
		}
	}
	// An interrupted earlier write may have left more chunks in this generation.
	if err := s.purgeRun(ctx, key, h.Gen, h.N); err != nil {
		return err
	}
	raw, err := json.Marshal(h)
	if err != nil {
		return err
	}
	if err := s.set(ctx, key, string(raw)); err != nil {
		return err
	}
	// The switch is done. Removing the old generation is best effort: what
	// is left is named by the new header's prev and removed next time.
	if h.Prev != 0 {
		_ = s.purge(ctx, key, h.Prev, h.PrevN)
	}
	return nil
}

// inlineHeader returns the version 2 header of value in h's generation
// when the store inlines and the header fits the platform's item size.
func (s *keyringStore) inlineHeader(h recordHeader, value string) (string, bool) {
	if s.inlineMax <= 0 || len(value) > s.inlineMax {
		return "", false
	}
	raw, err := json.Marshal(recordHeader{V: 2, Gen: h.Gen, Value: &value, Prev: h.Prev, PrevN: h.PrevN})
	if err != nil || len(raw) > s.inlineMax {
		return "", false
	}
	return string(raw), true
}

// deleteRecord removes the record and every chunk it knows of. It reports
// whether a header existed. The header goes last, so an interrupted delete
// can be repeated.
func (s *keyringStore) deleteRecord(ctx context.Context, key string) (existed bool, err error) {
	h, err := s.readHeader(ctx, key)
	switch {
	case errors.Is(err, errItemNotFound):
		// Chunks of an interrupted first write may exist without a header.
		return false, s.purgeRun(ctx, key, 1, 0)
	case errors.Is(err, tokens.ErrCorruptItem):
		if err := s.purgeRun(ctx, key, 1, 0); err != nil {
			return true, err
		}
	case err != nil:
		return false, err
	default:
		if err := s.purge(ctx, key, h.Prev, h.PrevN); err != nil {
			return true, err
		}
		if err := s.purge(ctx, key, h.Gen, h.N); err != nil {
			return true, err
		}
		if err := s.purgeRun(ctx, key, h.Gen+1, 0); err != nil {
			return true, err
		}
	}
	if err := s.del(ctx, key); err != nil && !errors.Is(err, errItemNotFound) {
		return true, err
	}
	return true, nil
}

// purge deletes chunks 0..n-1 of generation gen, last first, ignoring
// missing ones.
func (s *keyringStore) purge(ctx context.Context, key string, gen uint64, n int) error {
	if gen == 0 {
		return nil
	}
	for i := n - 1; i >= 0; i-- {
		if err := s.del(ctx, chunkKey(key, gen, i)); err != nil && !errors.Is(err, errItemNotFound) {
			return err
		}
	}
	return nil
}

// purgeRun deletes chunks from, from+1, … of generation gen until one is
// missing.
func (s *keyringStore) purgeRun(ctx context.Context, key string, gen uint64, from int) error {
	for i := from; ; i++ {
		err := s.del(ctx, chunkKey(key, gen, i))
		if errors.Is(err, errItemNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
