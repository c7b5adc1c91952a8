package keyring

import (
	"context"
	"errors"
	"fmt"

	"github.com/tokentray/tokentray/tokens"
)

// Reading several records at once. The command line's hot path (`token`,
// `git-credential get`, `exec`) needs the index, one profile and its token;
// `list` needs every profile and every token. Read one by one, each record
// costs a keyring round trip for its header and another for its chunks,
// and on the Secret Service each item read cost go-keyring seven D-Bus
// calls (a new session per item). readRecords reads the headers of all the
// records in one batch and then all their chunks in a second one (none for
// inline records), through batchGetter when the keyring offers it.

// batchGetter is implemented by a keyringAPI that reads several items in
// one go (the Secret Service: pipelined searches, one GetSecrets call).
// values[i] and errs[i] are what Get(service, users[i]) would return.
type batchGetter interface {
	GetMany(service string, users []string) (values []string, errs []error)
}

// serviceReader is implemented by a keyringAPI that reads every item of a
// service at once (the Secret Service: a constant number of round trips).
// values holds the items read, by user name; unsure names the items that
// exist but were not read that way (locked, or more than one item of the
// name): read them one by one. An item in neither does not exist.
type serviceReader interface {
	ReadService(service string) (values map[string]string, unsure map[string]bool, err error)
}

// itemGetter reads items as getMany does.
type itemGetter func(ctx context.Context, items []string) (values []string, errs []error, err error)

// wholeService returns an itemGetter answering from one read of every item
// of the service, when the keyring can do that; else s.getMany. A failed
// whole read falls back to s.getMany too, unless it is store-wide.
func (s *keyringStore) wholeService(ctx context.Context) (itemGetter, error) {
	r, ok := s.api.(serviceReader)
	if !ok {
		return s.getMany, nil
	}
	type result struct {
		values map[string]string
		unsure map[string]bool
		err    error
	}
	done := make(chan result, 1)
	_, err := s.call(ctx, "read", "every item", func() (string, error) {
		v, u, e := r.ReadService(s.service)
		done <- result{v, u, e}
		return "", nil
	})
	if err != nil {
		return nil, err
	}
	res := <-done
	if res.err != nil {
		if errors.Is(res.err, tokens.ErrKeyringUnavailable) {
			return nil, res.err
		}
		return s.getMany, nil
	}
	return func(ctx context.Context, items []string) ([]string, []error, error) {
		values, errs := make([]string, len(items)), make([]error, len(items))
		var again []int
		for i, item := range items {
			v, ok := res.values[item]
			switch {
			case ok:
				values[i] = v
			case res.unsure[item]:
				again = append(again, i)
			default:
				errs[i] = errItemNotFound
			}
		}
		if len(again) > 0 {
			rest := make([]string, len(again))
			for j, i := range again {
				rest[j] = items[i]
			}
			v, e, err := s.getMany(ctx, rest)
			if err != nil {
				return nil, nil, err
			}
			for j, i := range again {
				values[i], errs[i] = v[j], e[j]
			}
		}
		return values, errs, nil
	}, nil
}

// getMany reads items, bounded by the store's timeout as one call. errs[i]
// is item i's error as get would return it; err is a store-wide failure
// (timeout, cancellation) that leaves every item unread.
func (s *keyringStore) getMany(ctx context.Context, items []string) (values []string, errs []error, err error) {
	b, ok := s.api.(batchGetter)
	if !ok || len(items) == 0 {
		values, errs = make([]string, len(items)), make([]error, len(items))
		for i, item := range items {
			values[i], errs[i] = s.get(ctx, item)
			if storeWide(errs[i]) {
				return nil, nil, errs[i]
			}
		}
		return values, errs, nil
	}
	type result struct {
		values []string
		errs   []error
	}
	done := make(chan result, 1)
	_, err = s.call(ctx, "read", items[0], func() (string, error) {
		v, e := b.GetMany(s.service, items)
		done <- result{v, e}
		return "", nil
	})
	if err != nil {
		return nil, nil, err
	}
	r := <-done
	for i, e := range r.errs {
		switch {
		case e == nil, errors.Is(e, errItemNotFound):
		case errors.Is(e, tokens.ErrKeyringUnavailable):
			return nil, nil, e
		default:
			r.errs[i] = fmt.Errorf("keyring read %q: %w", items[i], e)
		}
	}
	return r.values, r.errs, nil
}

// readRecords reads the records of keys: values[i] and errs[i] as
// readRecord(keys[i]) would give them, chunked[i] true for a record still
// in the chunked (version 1) format. err is a store-wide failure.
func (s *keyringStore) readRecords(ctx context.Context, keys []string) (values []string, errs []error, chunked []bool, err error) {
	return s.readRecordsWith(ctx, s.getMany, keys)
}

// readRecordsWith is readRecords reading items through get.
func (s *keyringStore) readRecordsWith(ctx context.Context, get itemGetter, keys []string) (values []string, errs []error, chunked []bool, err error) {
	raws, herrs, err := get(ctx, keys)
	if err != nil {
		return nil, nil, nil, err
	}
	values, errs, chunked = make([]string, len(keys)), make([]error, len(keys)), make([]bool, len(keys))
	headers := make([]*recordHeader, len(keys))
	var chunkItems []string
	for i, key := range keys {
		if herrs[i] != nil {
			errs[i] = herrs[i]
			continue
		}
		h, err := parseHeader(key, raws[i])
		if err != nil {
			errs[i] = err
			continue
		}
		if h.inline() {
			values[i] = *h.Value
			continue
		}
		headers[i], chunked[i] = h, true
		for c := range h.N {
			chunkItems = append(chunkItems, chunkKey(key, h.Gen, c))
		}
	}
	if len(chunkItems) == 0 {
		return values, errs, chunked, nil
	}
	parts, perrs, err := get(ctx, chunkItems)
	if err != nil {
		return nil, nil, nil, err
	}
	next := 0
	for i, h := range headers {
		if h == nil {
			continue
		}
		values[i], errs[i] = assemble(keys[i], h, chunkItems[next:next+h.N], parts[next:next+h.N], perrs[next:next+h.N])
		next += h.N
		if errors.Is(errs[i], tokens.ErrCorruptItem) {
			// Another process may have replaced the record between the
			// two batches: read it alone, with readRecord's retries.
			values[i], _, errs[i] = s.readRecord(ctx, keys[i])
			if storeWide(errs[i]) {
				return nil, nil, nil, errs[i]
			}
		}
	}
	return values, errs, chunked, nil
}

// assemble joins a chunked record's parts and checks them against h.
func assemble(key string, h *recordHeader, items, parts []string, errs []error) (string, error) {
	buf := make([]byte, 0, h.Len)
	for i, part := range parts {
		if errors.Is(errs[i], errItemNotFound) {
			return "", corrupt(items[i], "chunk %d of %d is missing", i+1, h.N)
		}
		if errs[i] != nil {
			return "", errs[i]
		}
		if len(buf)+len(part) > h.Len {
			return "", corrupt(key, "chunks are longer than the header says")
		}
		buf = append(buf, part...)
	}
	value := string(buf)
	if len(value) != h.Len || checksum(value) != h.SHA256 {
		return "", corrupt(key, "chunks do not match the header's length and checksum")
	}
	return value, nil
}
