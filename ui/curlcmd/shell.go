package curlcmd

import "strings"

// The pieces of POSIX sh the command is made of. Every value from a
// profile reaches the shell only inside single quotes (shellquote.Quote),
// where nothing is special; secrets reach curl only on its standard input,
// written by printf, a shell builtin, so they are on no command line (ps,
// /proc/PID/cmdline) and in no file: one secret body parameter as is, for
// curl to form-encode (--data-urlencode NAME@-), more than one thing as
// lines of a curl config file (--config -). Quoting for that config
// (curl's double-quoted strings: \\, \", \n, \r) is done in Go for the
// profile's values and by the helper q at run time for the secrets.

// configEscape makes s safe inside a double-quoted curl config value.
func configEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`).Replace(s)
}

// The shell helpers, defined in the command when it uses them. They run
// on shell builtins only (no external program sees a secret in its
// arguments) and loop over one character at a time, which is quick for
// secrets of the usual length.
const (
	// helperLines defines $nl and $cr for the helpers' case patterns.
	helperLines = `nl=$(printf '\nx'); nl=${nl%x}; cr=$(printf '\r')`
	// helperConfig escapes $1 for a double-quoted curl config value.
	helperConfig = `q() { s=$1; o=; while [ -n "$s" ]; do r=${s#?}; c=${s%"$r"}; s=$r; case $c in \\|\") o=$o\\$c;; "$nl") o=$o\\n;; "$cr") o=$o\\r;; *) o=$o$c;; esac; done; printf %s "$o"; }`
	// helperJSON escapes $1 for a JSON string: \ and " escaped, control
	// characters as \u00XX.
	helperJSON = `j() { s=$1; o=; while [ -n "$s" ]; do r=${s#?}; c=${s%"$r"}; s=$r; case $c in \\|\") o=$o\\$c;; [[:cntrl:]]) o=$o$(printf '\\u%04x' "'$c");; *) o=$o$c;; esac; done; printf %s "$o"; }`
)

// basicUser is the command writing curl's config line user = "ID:SECRET"
// for HTTP Basic as RFC 6749 §2.3.1 says: both form-urlencoded
// (application/x-www-form-urlencoded: unreserved characters kept, space
// as +, every other byte as %XX), the secret byte by byte with shell
// builtins in a subshell, in the C locale so that a multibyte character
// is encoded as its UTF-8 bytes. Its output needs no config escaping. A
// fmt format: the shell word of the client ID, already form-encoded, and
// the name of the secret's variable.
const basicUser = `( LC_ALL=C; s=$%[2]s; printf 'user = "%%s:' %[1]s
  while [ -n "$s" ]; do r=${s#?}; c=${s%%"$r"}; s=$r
    case $c in [A-Za-z0-9._~-]) printf %%s "$c" ;; ' ') printf + ;; *) printf %%%%%%02X "'$c" ;; esac
  done; printf '"\n' )`

// envName makes an environment variable name: prefix, then name in upper
// case with every other character as _.
func envName(prefix, name string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for _, r := range strings.ToUpper(name) {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}
