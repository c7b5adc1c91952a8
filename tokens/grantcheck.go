package tokens

import (
	"cmp"
	"slices"
)

// validateGrant is the part of Validate that depends on the grant: which
// endpoints each grant needs, and which fields belong to another grant.
// p is normalized.
func (p Profile) validateGrant(bad func(field, problem string, args ...any)) {
	if !slices.Contains(Grants, p.Grant) {
		bad(FieldGrant, "must be one of client_credentials, authorization_code, device_code")
		return
	}
	endpoint := func(field, url string, needed bool, discovered string) {
		switch {
		case url == "" && needed && p.IssuerURL == "":
			bad(field, "is required for %s (or give an issuer URL to discover its %s)", p.Grant, discovered)
		case url == "":
		case !needed:
			bad(field, "is only used with the %s grant", map[string]Grant{
				FieldAuthorizationURL: GrantAuthorizationCode, FieldDeviceAuthorizationURL: GrantDeviceCode}[field])
		case len(url) > MaxURLLen:
			bad(field, "is longer than the %d-byte limit", MaxURLLen)
		default:
			if err := cmp.Or(CheckEndpointURL(url), CheckURLSecrets(url)); err != nil {
				bad(field, "%v", err)
			}
		}
	}
	endpoint(FieldAuthorizationURL, p.AuthorizationURL, p.Grant == GrantAuthorizationCode, "authorization_endpoint")
	endpoint(FieldDeviceAuthorizationURL, p.DeviceAuthorizationURL, p.Grant == GrantDeviceCode, "device_authorization_endpoint")
	switch {
	case p.RedirectPort == 0:
	case p.Grant != GrantAuthorizationCode:
		bad(FieldRedirectPort, "is only used with the authorization_code grant")
	case p.RedirectPort < 1 || p.RedirectPort > 65535:
		bad(FieldRedirectPort, "must be a port from 1 to 65535 (or empty for any free port)")
	}
}
