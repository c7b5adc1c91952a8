package tokens

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Size limits on profile fields, checked by Profile.Validate before
// anything is stored. They are far above real-world values and keep a
// hostile import file or form from filling the keyring or memory.
const (
	MaxNameLen      = 100      // bytes
	MaxURLLen       = 2048     // token, issuer, introspection and revocation URLs
	MaxClientIDLen  = 1024     // bytes
	MaxSecretLen    = 64 << 10 // client secret
	MaxKeyPEMLen    = 64 << 10 // private key, client certificate key
	MaxCertPEMLen   = 64 << 10 // client certificate (with its chain)
	MaxCABundleLen  = 1 << 20  // CA bundle
	MaxScopes       = 100      // entries
	MaxScopeLen     = 256      // bytes per scope
	MaxParams       = 50       // extra body parameters
	MaxHeaders      = 50       // extra headers
	MaxParamLen     = 4096     // bytes per parameter or header name or value
	MaxValueLen     = 2048     // audience, resource, key ID
	MaxListEntries  = 50       // endpoint origins, git hosts (each at most MaxURLLen bytes)
	MaxProfileBytes = MaxSecretLen + 2*MaxKeyPEMLen + MaxCertPEMLen + MaxCABundleLen + 1<<20
)

// CheckName reports whether name can name a profile: not empty, at most
// MaxNameLen bytes of valid UTF-8, without control characters (C0, DEL,
// C1), bidirectional overrides or isolates, line or paragraph separators,
// and without slashes (names are part of keyring item names). The error
// is a lowercase problem for a FieldError; it never quotes the name.
func CheckName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return fmt.Errorf("is required")
	case len(name) > MaxNameLen:
		return fmt.Errorf("is longer than the %d-byte limit", MaxNameLen)
	case !utf8.ValidString(name):
		return fmt.Errorf("is not valid UTF-8")
	case strings.ContainsAny(name, "/\\"):
		return fmt.Errorf("must not contain slashes")
	}
	for _, r := range name {
		if bad := unprintableKind(r); bad != "" {
			return fmt.Errorf("must not contain %s (found U+%04X)", bad, r)
		}
	}
	return nil
}

// unprintableKind names the class of a rune that must not appear in text
// shown in a terminal or window, or "" when r is fine.
func unprintableKind(r rune) string {
	switch {
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return "control characters"
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return "bidirectional text controls"
	case r == 0x2028 || r == 0x2029:
		return "line separators"
	case r == utf8.RuneError:
		return "invalid characters"
	case unicode.Is(unicode.Cf, r) && r != 0x200d:
		return "invisible format characters"
	}
	return ""
}

// CheckPrintable reports whether s holds no control character, bidi
// control or invisible format character (see CheckName); tabs are refused
// too. Used for single-line fields such as the client ID and scopes.
func CheckPrintable(s string) error {
	for _, r := range s {
		if bad := unprintableKind(r); bad != "" {
			return fmt.Errorf("must not contain %s (found U+%04X)", bad, r)
		}
	}
	return nil
}

// checkLimits adds a problem for every field over its size limit or
// holding characters it must not.
func (p Profile) checkLimits(bad func(field, problem string, args ...any)) {
	over := func(field string, n, limit int, unit string) bool {
		if n > limit {
			bad(field, "is larger than the limit of %s", sizeText(limit, unit))
			return true
		}
		return false
	}
	over(FieldTokenURL, len(p.TokenURL), MaxURLLen, "bytes")
	over(FieldIssuerURL, len(p.IssuerURL), MaxURLLen, "bytes")
	over(FieldIntrospectionURL, len(p.IntrospectionURL), MaxURLLen, "bytes")
	over(FieldRevocationURL, len(p.RevocationURL), MaxURLLen, "bytes")
	if !over(FieldClientID, len(p.ClientID), MaxClientIDLen, "bytes") {
		if err := CheckPrintable(p.ClientID); err != nil {
			bad(FieldClientID, "%v", err)
		}
	}
	over(FieldClientSecret, len(p.ClientSecret), MaxSecretLen, "bytes")
	over(FieldPrivateKey, len(p.PrivateKeyPEM), MaxKeyPEMLen, "bytes")
	over(FieldClientKey, len(p.ClientKeyPEM), MaxKeyPEMLen, "bytes")
	over(FieldClientCert, len(p.ClientCertPEM), MaxCertPEMLen, "bytes")
	over(FieldCABundle, len(p.CABundlePEM), MaxCABundleLen, "bytes")
	if !over(FieldScopes, len(p.Scopes), MaxScopes, "scopes") {
		for _, s := range p.Scopes {
			if len(s) > MaxScopeLen || CheckPrintable(s) != nil || strings.ContainsAny(s, " \"\\") {
				bad(FieldScopes, "scope %q is longer than %d bytes or holds characters a scope cannot", Printable(s, 40), MaxScopeLen)
				break
			}
		}
	}
	for _, f := range []struct {
		field string
		v     string
	}{{FieldAudience, p.Audience}, {FieldResource, p.Resource}, {FieldKeyID, p.KeyID}} {
		if !over(f.field, len(f.v), MaxValueLen, "bytes") && CheckPrintable(f.v) != nil {
			bad(f.field, "must not contain control or bidirectional characters")
		}
	}
	for _, l := range []struct {
		field string
		list  []string
	}{{FieldEndpointOrigins, p.EndpointOrigins}, {FieldGitHosts, p.GitHosts}} {
		if over(l.field, len(l.list), MaxListEntries, "entries") {
			continue
		}
		for _, v := range l.list {
			if over(l.field, len(v), MaxURLLen, "bytes per entry") {
				break
			}
		}
	}
	for _, m := range []struct {
		field string
		kv    map[string]string
		limit int
	}{{FieldParams, p.Params, MaxParams}, {FieldHeaders, p.Headers, MaxHeaders}} {
		if over(m.field, len(m.kv), m.limit, "entries") {
			continue
		}
		for k, v := range m.kv {
			if len(k) > MaxParamLen || len(v) > MaxParamLen {
				bad(m.field, "%q is longer than the limit of %d bytes", Printable(k, 40), MaxParamLen)
				break
			}
		}
	}
}

func sizeText(n int, unit string) string {
	if unit == "bytes" && n >= 1<<10 && n%(1<<10) == 0 {
		if n >= 1<<20 && n%(1<<20) == 0 {
			return fmt.Sprintf("%d MiB", n>>20)
		}
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d %s", n, unit)
}
