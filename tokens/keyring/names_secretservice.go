//go:build !windows && !darwin

package keyring

import (
	ss "github.com/zalando/go-keyring/secret_service"
)

// Locked implements lockProber: whether the collection go-keyring uses
// (login, else the default alias) is locked. It reads a property and
// unlocks nothing, so it never brings up a prompt.
func (osKeyring) Locked() (bool, error) {
	if err := preflight(); err != nil {
		return false, err
	}
	svc, err := ss.NewSecretService()
	if err != nil {
		return false, classifyKeyringError(err)
	}
	v, err := svc.GetLoginCollection().GetProperty("org.freedesktop.Secret.Collection.Locked")
	if err != nil {
		return false, classifyKeyringError(err)
	}
	locked, _ := v.Value().(bool)
	return locked, nil
}
