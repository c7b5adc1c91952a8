package keyring

// On macOS go-keyring drives the security(1) tool, which cannot list the
// items of a service; osKeyring is no itemLister there and Repair answers
// ErrCannotList.
