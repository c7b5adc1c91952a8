//go:build !windows && !darwin

package keyring

import (
	"fmt"

	ss "github.com/zalando/go-keyring/secret_service"
)

// List implements itemLister over the Secret Service: the items of the
// collection go-keyring uses (login, else the default alias) whose
// "service" attribute is service, by their "username" attribute.
func (osKeyring) List(service string) ([]string, error) {
	if err := preflight(); err != nil {
		return nil, err
	}
	svc, err := ss.NewSecretService()
	if err != nil {
		return nil, classifyKeyringError(err)
	}
	collection := svc.GetLoginCollection()
	if err := svc.Unlock(collection.Path()); err != nil {
		return nil, classifyKeyringError(err)
	}
	paths, err := svc.SearchItems(collection, map[string]string{"service": service})
	if err != nil {
		return nil, classifyKeyringError(err)
	}
	users := make([]string, 0, len(paths))
	for _, p := range paths {
		v, err := svc.Object("org.freedesktop.secrets", p).GetProperty("org.freedesktop.Secret.Item.Attributes")
		if err != nil {
			return nil, classifyKeyringError(err)
		}
		attrs, ok := v.Value().(map[string]string)
		if !ok {
			return nil, fmt.Errorf("keyring item %s: attributes of type %s", p, v.Signature())
		}
		if u, ok := attrs["username"]; ok && attrs["service"] == service {
			users = append(users, u)
		}
	}
	return users, nil
}
