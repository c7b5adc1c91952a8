package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// DefaultGitUsername is the user name given to git with the token as the
// password: GitLab wants "oauth2" for OAuth tokens; GitHub, Gitea, Azure
// DevOps and most others accept any name.
const DefaultGitUsername = "oauth2"

// maxGitCredentialInput bounds what git may send: git itself limits a line
// to 64 KiB and sends a handful of lines.
const maxGitCredentialInput = 256 << 10

// gitRequest is what git sent: key=value lines, repeated keys ending in [].
type gitRequest struct {
	attrs        map[string]string
	capabilities []string
}

func runGitCredential(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "git-credential")
	username := fs.String("username", DefaultGitUsername, "user name sent with the token when git does not name one")
	minValid := fs.Duration("min-valid", DefaultExecMinValid, "the token stays valid at least this long (a long push or clone needs it to);\nagainst a server whose tokens live shorter, pass less in the helper line")
	timeout := keyringTimeoutFlag(fs)
	pos, err := parse(fs, args, 2, 2)
	if err != nil {
		return err
	}
	name, action := pos[0], pos[1]
	req, err := readGitRequest(env.Stdin)
	if err != nil {
		return err
	}
	if action != "get" {
		// store and erase: the token lives in Tokentray's cache, git keeps
		// nothing. Unknown actions are ignored, as git asks of helpers.
		return nil
	}
	// No answer to a refused request: git goes on to its next helper or
	// prompt, and shows Tokentray's reason.
	if reason := req.refusal(); reason != "" {
		fmt.Fprintf(env.Stderr, "tokentray git-credential: not answering: %s\n", reason)
		return nil
	}
	if t, hosts, ok := fromApp(ctx, env, name, *minValid); ok {
		if reason := req.hostNotListed(tokens.Profile{Name: name, GitHosts: hosts}); reason != "" {
			fmt.Fprintf(env.Stderr, "tokentray git-credential: not answering: %s\n", reason)
			return nil
		}
		if err := requireBearer(t); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return writeGitAnswer(env.Stdout, req, t, *username)
	}
	st := env.OpenStore(*timeout)
	c, err := loadCached(ctx, st, name)
	if err != nil {
		return err
	}
	p := c.Profile
	if reason := req.hostNotListed(p); reason != "" {
		fmt.Fprintf(env.Stderr, "tokentray git-credential: not answering: %s\n", reason)
		return nil
	}
	t, err := tokenFor(ctx, env, st, c, tokens.DefaultFetchTimeout, *minValid)
	if err = byDefault(fs, "git-credential", name, err); err != nil {
		return err
	}
	if err := requireBearer(t); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return writeGitAnswer(env.Stdout, req, t, *username)
}

// readGitRequest reads git's key=value lines up to a blank line or EOF.
func readGitRequest(r io.Reader) (gitRequest, error) {
	req := gitRequest{attrs: map[string]string{}}
	if r == nil {
		return req, nil
	}
	sc := bufio.NewScanner(io.LimitReader(r, maxGitCredentialInput))
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if line == "" {
			break
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return req, fmt.Errorf("git sent a line without '=': %q", truncateForMessage(line))
		}
		if k == "capability[]" {
			req.capabilities = append(req.capabilities, v)
			continue
		}
		req.attrs[k] = v
	}
	if err := sc.Err(); err != nil {
		return req, fmt.Errorf("reading git's request: %w", err)
	}
	return req, nil
}

// refusal says why the token must not go to the host git asks for, or "".
// A bearer token never crosses a network in clear: plain http only to a
// literal loopback address or localhost (tokens.IsLoopbackHost, the rule of
// token URLs). The host must parse as host[:port] whatever the protocol: an
// answer for text that git, curl and Tokentray might each read as another
// host would fail open. Other protocols (git's "cert" passphrase requests)
// are not Tokentray's to answer.
func (r gitRequest) refusal() string {
	proto, host := r.attrs["protocol"], r.attrs["host"]
	switch proto {
	case "https", "http":
	case "":
		return "git did not say which protocol the credential is for"
	default:
		return fmt.Sprintf("protocol %q is not http or https", explain.Printable(proto))
	}
	hostname, _, err := tokens.SplitHost(host)
	if err != nil {
		return fmt.Sprintf("host %q %v", explain.Printable(host), err)
	}
	if proto == "http" && !tokens.IsLoopbackHost(hostname) {
		return fmt.Sprintf("http://%s is not encrypted; a token is sent over https only (plain http to a loopback address or localhost only)", explain.Printable(host))
	}
	return ""
}

// hostNotListed says why p's token must not go to the host git asks for
// when p names its git hosts, or "": the host must be one of them, port
// included, names compared without regard to case.
func (r gitRequest) hostNotListed(p tokens.Profile) string {
	host := r.attrs["host"]
	if len(p.GitHosts) == 0 || slices.ContainsFunc(p.GitHosts, func(h string) bool { return strings.EqualFold(h, host) }) {
		return ""
	}
	return fmt.Sprintf("%s is not one of the git hosts of profile %s (%s); add it with 'tokentray edit %s --git-host …' listing every host",
		explain.Printable(host), explain.Printable(p.Name), explain.Printable(strings.Join(p.GitHosts, ", ")), explain.Printable(p.Name))
}

// writeGitAnswer answers a get: a Bearer credential when git offered the
// authtype capability (git 2.46+), else the token as the password of a
// Basic login. Either way, the expiry lets git and storing helpers know
// when it ends.
func writeGitAnswer(w io.Writer, req gitRequest, t *tokens.Token, username string) error {
	var b strings.Builder
	if slices.Contains(req.capabilities, "authtype") {
		b.WriteString("capability[]=authtype\n")
		b.WriteString("authtype=Bearer\n")
		fmt.Fprintf(&b, "credential=%s\n", t.AccessToken)
		// Nothing to store: the next get asks Tokentray again. git 2.46+
		// tells the storing helpers after this one not to keep it (the
		// attribute goes only with the authtype capability).
		b.WriteString("ephemeral=true\n")
	} else {
		if u := req.attrs["username"]; u != "" {
			username = u
		}
		fmt.Fprintf(&b, "username=%s\n", username)
		fmt.Fprintf(&b, "password=%s\n", t.AccessToken)
	}
	fmt.Fprintf(&b, "password_expiry_utc=%d\n", t.ExpiresAt.Unix())
	_, err := io.WriteString(w, b.String())
	return err
}

// truncateForMessage shortens a quote of git's request in an error.
func truncateForMessage(s string) string { return tokens.Shorten(s, 40) }
