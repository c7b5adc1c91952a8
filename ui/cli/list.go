package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// tokentray list: every profile, its state and time left, from the
// running app when there is one, else from the store.

// listEntry is one profile in `tokentray list --json`. URLs are shown as
// tokens.DisplayURL renders them: query values and user info masked.
type listEntry struct {
	Name      string `json:"name"`
	TokenURL  string `json:"token_url,omitempty"`
	IssuerURL string `json:"issuer_url,omitempty"`
	ClientID  string `json:"client_id,omitempty"`
	Auth      string `json:"auth,omitempty"`
	// Grant is a sign-in grant's name; empty for client credentials.
	// SessionEndsAt is when its refresh token stops working, when the
	// server said (refresh_expires_in, a JWT refresh token's exp); the
	// running app's word when it has one (it saw the last rotation).
	Grant         string     `json:"grant,omitempty"`
	SessionEndsAt *time.Time `json:"session_ends_at,omitempty"`
	// SignedInAs is who signed in: the claims kept of the sign-in's
	// checked OpenID Connect ID token (never the token itself).
	SignedInAs *tokens.IDClaims `json:"signed_in_as,omitempty"`
	// Discovery's extra endpoint origins, and the hosts git-credential
	// answers for (empty: any https host).
	EndpointOrigins []string   `json:"endpoint_origins,omitempty"`
	GitHosts        []string   `json:"git_hosts,omitempty"`
	State           string     `json:"state"`
	ExpiresAt       *time.Time `json:"expires_at,omitempty"`
	SecondsLeft     *int64     `json:"seconds_left,omitempty"`
	Error           string     `json:"error,omitempty"`
	// RefreshStopped says the running app stopped refreshing after an
	// error retrying cannot fix (Error says which).
	RefreshStopped bool `json:"refresh_stopped,omitempty"`
	// Verification is the verdict on the cached token, with --verify only:
	// list makes no network request unless asked.
	Verification *listVerification `json:"verification,omitempty"`

	words explain.State // the table's words for the state (not in the JSON)
}

func runList(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "list")
	asJSON := fs.Bool("json", false, "print JSON for machines")
	verify := fs.Bool("verify", false, "also verify each cached token against its issuer (network requests: metadata and keys);\nexit 6 when one is invalid, 7 when one could not be checked")
	timeout := keyringTimeoutFlag(fs)
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	var in tokens.Inspector
	if *verify {
		var err error
		if in, err = inspector(env); err != nil {
			return err
		}
	}
	worst := tokens.VerdictValid
	st := env.OpenStore(*timeout)
	profiles, broken, err := tokens.ReadAllCached(ctx, st)
	if err != nil {
		return err
	}
	now := env.Now()
	app := appStates(ctx, env)
	entries := make([]listEntry, 0, len(profiles)+len(broken))
	for _, c := range profiles {
		p := c.Profile
		e := listEntry{Name: p.Name, ClientID: p.ClientID, Auth: string(p.Normalized().Auth),
			EndpointOrigins: p.EndpointOrigins, GitHosts: p.GitHosts}
		if p.TokenURL != "" {
			e.TokenURL = tokens.DisplayURL(p.TokenURL)
		}
		if p.IssuerURL != "" {
			e.IssuerURL = tokens.DisplayURL(p.IssuerURL)
		}
		state := tokens.ProfileState{Profile: p}
		if g := p.Normalized().Grant; g.SignsIn() {
			e.Grant = string(g)
			e.SessionEndsAt, state.LastError = signInState(ctx, st, p)
			state.Stopped = state.LastError != nil
			if e.SessionEndsAt != nil {
				state.SessionEnds = *e.SessionEndsAt
			}
		}
		if t, err := c.Token, c.TokenErr; err == nil {
			state.Token = t
			if t.ID != nil {
				id := *t.ID
				id.Nonce = "" // kept to check refreshes, not for display
				e.SignedInAs = &id
			}
			exp := t.ExpiresAt
			left := int64(t.ExpiresAt.Sub(now).Seconds())
			e.ExpiresAt, e.SecondsLeft = &exp, &left
			if in != nil {
				e.Verification = verifyForList(ctx, in, p, t)
				worst = worse(worst, e.Verification)
			}
		} else if !errors.Is(err, tokens.ErrNotFound) {
			e.Error = describe(err)
		}
		if a, ok := app[p.Name]; ok {
			withApp(&state, a)
			if a.Error != "" && a.SignIn != signInNone { // no one signed in: no error
				e.Error, e.RefreshStopped = a.Error, a.Stopped
			}
			if !a.SessionEnds.IsZero() {
				e.SessionEndsAt = &a.SessionEnds
			}
		}
		e.words = explain.Describe(&state, now)
		e.State = e.words.Status.String()
		entries = append(entries, e)
	}
	for _, b := range broken {
		entries = append(entries, listEntry{Name: b.Name, State: "unreadable", Error: describe(b.Err), words: explain.State{Word: "unreadable"}})
		fmt.Fprintf(env.Stderr, "tokentray list: profile %q cannot be read: %s\n", explain.Printable(b.Name), oneLine(describe(b.Err)))
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(entries); err != nil {
			return err
		}
		return verdictExit(worst)
	}
	if len(entries) == 0 {
		fmt.Fprintln(env.Stdout, "No profiles yet. Add one with 'tokentray add NAME --token-url URL --client-id ID'.")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	verified := ""
	if *verify {
		verified = "\tVERIFIED"
	}
	// Who signed in, compactly, only when someone signed in to one (the
	// full claims are in --json).
	who := slices.ContainsFunc(entries, func(e listEntry) bool { return e.SignedInAs != nil })
	if who {
		verified += "\tSIGNED IN AS"
	}
	fmt.Fprintln(tw, "NAME\tTOKEN URL\tCLIENT ID\tTOKEN\tTIME LEFT"+verified)
	for _, e := range entries {
		endpoint := e.TokenURL
		if endpoint == "" && e.IssuerURL != "" {
			endpoint = e.IssuerURL + " (issuer)"
		}
		left := "-"
		if e.words.HasToken {
			left = e.words.Countdown
		}
		switch s := e.words.Session; {
		case s != "" && left == "-":
			left = s
		case s != "":
			left += " · " + s
		}
		if *verify {
			left += "\t" + verdictColumn(e.Verification)
		}
		if who {
			left += "\t" + dash(explain.SignedInAsShort(e.SignedInAs, 32))
		}
		word := e.words.Word
		if e.RefreshStopped {
			word += " · stopped"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", explain.Printable(e.Name), dash(explain.Printable(endpoint)), dash(explain.Printable(e.ClientID)), word, left)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, e := range entries {
		if e.Error != "" && e.words.Word != "unreadable" {
			fmt.Fprintf(env.Stdout, "%s: %s\n", explain.Printable(e.Name), explain.WithPeriod(explain.Sentence(oneLine(e.Error))))
		}
	}
	return verdictExit(worst)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
