package keyring

import (
	"strings"

	"github.com/danieljoos/wincred"
)

// List implements itemLister over the Credential Manager: go-keyring names
// each generic credential "SERVICE:USER", so the service's items are the
// credentials with that prefix.
func (osKeyring) List(service string) ([]string, error) {
	prefix := service + ":"
	creds, err := wincred.FilteredList(prefix + "*")
	if err != nil {
		return nil, classifyKeyringError(err)
	}
	users := make([]string, 0, len(creds))
	for _, c := range creds {
		if u, ok := strings.CutPrefix(c.TargetName, prefix); ok {
			users = append(users, u)
		}
	}
	return users, nil
}
