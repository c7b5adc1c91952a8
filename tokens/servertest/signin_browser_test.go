package servertest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// personBrowser writes a $BROWSER script that signs in as a person would:
// it opens the address it is given (the login page), types the user name
// and password, allows access on the consent page, and follows the
// redirect back to Tokentray's 127.0.0.1 listener. Each step is curl,
// sharing a cookie jar; the pages it saw are kept in dir.
func personBrowser(t *testing.T, password string) (script, dir string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the scripted browser is a shell script")
	}
	dir = t.TempDir()
	script = filepath.Join(dir, "browser")
	body := `#!/bin/sh
set -e
cd "` + dir + `"
field() { sed -n 's/.*name="'"$1"'" value="\([^"]*\)".*/\1/p' "$2" | head -n1; }
origin=$(printf '%s' "$1" | sed 's|^\(https*://[^/]*\).*|\1|')
curl -sS --max-time 20 -c jar -b jar -o login.html "$1"
ticket=$(field ticket login.html)
curl -sS --max-time 20 -c jar -b jar -o consent.html --data-urlencode "ticket=$ticket" \
  --data-urlencode "username=` + userName + `" --data-urlencode "password=` + password + `" "$origin/login"
ticket=$(field ticket consent.html)
curl -sS --max-time 20 -c jar -b jar -L -o done.html -d consent=allow --data-urlencode "ticket=$ticket" "$origin/consent"
`
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	return script, dir
}
