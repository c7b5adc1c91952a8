//go:build windows || darwin

package keyring

// platformInlineMax is the largest inline record header NewStore writes:
// the chunk size, which every platform's item limit allows (chunk.go).
func platformInlineMax() int { return maxChunk }

// GetMany implements batchGetter item by item: Credential Manager and the
// Keychain answer in-process, without a round trip to batch.
func (k osKeyring) GetMany(service string, users []string) ([]string, []error) {
	values, errs := make([]string, len(users)), make([]error, len(users))
	for i, u := range users {
		values[i], errs[i] = k.Get(service, u)
	}
	return values, errs
}
