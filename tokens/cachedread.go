package tokens

import (
	"context"
	"fmt"
)

// Reading a profile together with its cached token: the command line's hot
// path. `tokentray token NAME` needs one profile and its token, `list` every
// profile and every token; a store whose reads are round trips to another
// process (the OS keyring) reads them in one go when it is a CachedReader.

// Cached is a profile with its cached token, as ReadCached and
// ReadAllCached give them.
type Cached struct {
	Profile Profile
	// Token is the cached token, fetched with Profile's request; nil when
	// there is none or it belongs to another request (TokenErr then wraps
	// ErrNotFound), or it cannot be read (TokenErr says why).
	Token    *Token
	TokenErr error
}

// CachedReader is implemented by a Store that reads profiles with their
// cached tokens in fewer steps than Load and LoadToken one by one (the
// keyring Store). Implementations must be safe for concurrent use.
type CachedReader interface {
	// LoadCached returns the named profile and its cached token. A profile
	// the store does not hold gives an error wrapping ErrNotFound; one it
	// cannot read, a *ProfileError; store-wide failures as for Load.
	LoadCached(ctx context.Context, name string) (Cached, error)
	// LoadAllCached is Load with each readable profile's cached token.
	LoadAllCached(ctx context.Context) ([]Cached, []*ProfileError, error)
}

// ReadCached returns the named profile of st and its cached token: through
// LoadCached when st is a CachedReader, else Load then LoadToken. Errors:
// as CachedReader.LoadCached. Safe for concurrent use as st is.
func ReadCached(ctx context.Context, st Store, name string) (Cached, error) {
	if r, ok := st.(CachedReader); ok {
		return r.LoadCached(ctx, name)
	}
	profiles, broken, err := st.Load(ctx)
	if err != nil {
		return Cached{}, err
	}
	for _, p := range profiles {
		if p.Name == name {
			c := Cached{Profile: p}
			c.Token, c.TokenErr = st.LoadToken(ctx, name)
			return c, nil
		}
	}
	for _, b := range broken {
		if b.Name == name {
			return Cached{}, b
		}
	}
	return Cached{}, fmt.Errorf("profile %q: %w", name, ErrNotFound)
}

// ReadAllCached returns every readable profile of st, sorted by name, with
// its cached token, and the unreadable ones in broken: through
// LoadAllCached when st is a CachedReader, else Load then LoadToken for each.
func ReadAllCached(ctx context.Context, st Store) ([]Cached, []*ProfileError, error) {
	if r, ok := st.(CachedReader); ok {
		return r.LoadAllCached(ctx)
	}
	profiles, broken, err := st.Load(ctx)
	if err != nil {
		return nil, nil, err
	}
	all := make([]Cached, len(profiles))
	for i, p := range profiles {
		all[i].Profile = p
		all[i].Token, all[i].TokenErr = st.LoadToken(ctx, p.Name)
	}
	return all, broken, nil
}
