package oauth

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/tokentray/tokentray/tokens"
)

// Signing in with the authorization code grant (RFC 6749 §4.1), always
// with PKCE S256 (RFC 7636) and a loopback redirect (RFC 8252): the
// browser is sent to the authorization endpoint, the person signs in
// there, the browser comes back to 127.0.0.1 with a code, and the code is
// redeemed with its verifier at the token endpoint.

// DefaultSignInTimeout is how long a sign-in waits for the browser's
// answer when SignInOptions.Timeout is zero.
const DefaultSignInTimeout = tokens.DefaultSignInTimeout

// SignInOptions is the domain's (tokens.Signer).
type SignInOptions = tokens.SignInOptions

// AuthorizationError is the authorization server's refusal, sent back
// through the browser (RFC 6749 §4.1.2.1): access_denied and the like.
// Its strings are printable and capped.
type AuthorizationError struct {
	Code        string
	Description string
}

func (e *AuthorizationError) Error() string {
	if e.Description != "" {
		return fmt.Sprintf("oauth: the sign-in was refused: %s: %s", e.Code, e.Description)
	}
	return "oauth: the sign-in was refused: " + e.Code
}

// Errors of an answer that does not belong to this sign-in. Each ends it:
// no code from such an answer is redeemed.
var (
	// ErrStateMismatch: the answer's state is not this attempt's (a forged
	// or stale redirect, RFC 6749 §10.12). Checked before anything else in
	// the answer is believed, an error included.
	ErrStateMismatch = errors.New("oauth: the sign-in's answer does not belong to this attempt (state mismatch)")
	// ErrIssuerMismatch: the answer's iss is not the issuer's, or missing
	// where the metadata promises it (RFC 9207: a mix-up attack).
	ErrIssuerMismatch = errors.New("oauth: the sign-in's answer names another issuer (RFC 9207)")
	// ErrNoCode: the answer carries neither a code nor an error.
	ErrNoCode = errors.New("oauth: the sign-in's answer carries no code")
)

// SignIn signs a person in for p (grant authorization_code): it listens on
// 127.0.0.1 (p.RedirectPort, or a free port; a taken one is a
// *PortTakenError), shows and opens the authorization URL with a fresh
// PKCE verifier and state, takes the one answer the browser brings back,
// checks its state (constant time, before an error= is believed) and,
// when the issuer's metadata says so, its iss, and redeems the code. With
// "openid" in p's scopes the request carries a fresh nonce and the ID
// token of the answer is checked (idtoken.go); its claims for display
// are the token's ID, and the ID token itself is never returned.
// It returns the result of the code's token request; the caller stores it
// (tokens.KeepSignIn). It gives up after opts.Timeout or when ctx ends.
//
// Errors: p's *ValidationError; ErrStateMismatch, ErrIssuerMismatch,
// ErrNoCode, *AuthorizationError; *PortTakenError; *tokens.IDTokenError;
// *tokens.SignInTimeoutError (no answer in time);
// discovery and token
// request errors as for Fetch; ctx's error. Safe for concurrent use.
func (c *Client) SignIn(ctx context.Context, p tokens.Profile, opts SignInOptions) (*tokens.TokenResult, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p = p.Normalized()
	if p.Grant != tokens.GrantAuthorizationCode {
		return nil, fmt.Errorf("%w: %s: %s signs in with the device grant or not at all", tokens.ErrConfig, tokens.FieldGrant, p.Grant)
	}
	endpoint, issuer, err := c.authorizationEndpoint(ctx, p)
	if err != nil {
		return nil, err
	}
	verifier, state, nonce := newVerifier(), newState(), ""
	cb, err := listenCallback(p.RedirectPort, state)
	if err != nil {
		return nil, err
	}
	defer cb.close()

	if wantsIDToken(p) {
		nonce = newState() // fresh each attempt, like the state
	}
	authURL, err := authorizationURL(endpoint, p, cb.redirectURI(), state, s256(verifier), nonce)
	if err != nil {
		return nil, err
	}
	if opts.ShowURL != nil {
		opts.ShowURL(authURL)
	}
	if opts.OpenBrowser != nil {
		_ = opts.OpenBrowser(ctx, authURL) // the URL is shown: a person can open it
	}
	wctx, cancel := context.WithTimeout(ctx, cmp.Or(opts.Timeout, DefaultSignInTimeout))
	defer cancel()
	q, err := cb.wait(wctx)
	if err != nil {
		if ctx.Err() == nil {
			return nil, &tokens.SignInTimeoutError{After: cmp.Or(opts.Timeout, DefaultSignInTimeout), Refused: int(cb.refused.Load()), Err: err}
		}
		return nil, err
	}
	code, err := checkAnswer(q, state, issuer)
	if err != nil {
		return nil, err
	}
	res, err := c.Grant(ctx, tokens.TokenRequest{Profile: p, Code: code, CodeVerifier: verifier, RedirectURI: cb.redirectURI()})
	if err != nil {
		return nil, err
	}
	idToken := res.IDToken
	res.IDToken = "" // checked here, kept nowhere
	if nonce != "" {
		if res.Token.ID, err = c.checkIDToken(ctx, p, idToken, nonce); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// checkAnswer returns the code of the browser's answer q, after its state
// (first, whatever else it says) and its iss (when issuer is set: the
// metadata promised one).
func checkAnswer(q url.Values, state, issuer string) (string, error) {
	if !sameState(q.Get("state"), state) || len(q["state"]) != 1 {
		return "", ErrStateMismatch
	}
	if issuer != "" && (len(q["iss"]) != 1 || q.Get("iss") != issuer) {
		return "", ErrIssuerMismatch
	}
	if e := q.Get("error"); e != "" {
		return "", &AuthorizationError{Code: tokens.Printable(e, 100), Description: tokens.Printable(q.Get("error_description"), 500)}
	}
	code := q.Get("code")
	if code == "" || len(q["code"]) != 1 {
		return "", ErrNoCode
	}
	return code, nil
}

// authorizationEndpoint returns where p signs in, and the issuer to check
// the answer's iss against ("" when none is promised).
func (c *Client) authorizationEndpoint(ctx context.Context, p tokens.Profile) (endpoint, issuer string, err error) {
	if p.IssuerURL == "" {
		return p.AuthorizationURL, "", nil
	}
	ctx, cancel, p, hc, err := c.begin(ctx, p)
	if err != nil {
		return "", "", err
	}
	defer cancel()
	m, err := c.metadata(ctx, hc, anchorsOf(p), p.IssuerURL, p.EndpointOrigins)
	if err != nil {
		return "", "", err
	}
	if m.IssInResponse {
		issuer = m.Issuer
	}
	endpoint = cmp.Or(p.AuthorizationURL, m.AuthorizationEndpoint)
	if endpoint == "" {
		return "", "", fmt.Errorf("%w: %s: the issuer's metadata names no authorization_endpoint; give the authorization URL", tokens.ErrConfig, tokens.FieldAuthorizationURL)
	}
	return endpoint, issuer, nil
}

// authorizationURL is endpoint with the authorization request's
// parameters (RFC 6749 §4.1.1, RFC 7636 §4.3) added to its own query.
func authorizationURL(endpoint string, p tokens.Profile, redirectURI, state, challenge, nonce string) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return "", fmt.Errorf("%w: %s: %v", tokens.ErrConfig, tokens.FieldAuthorizationURL, withDisplayURL(err))
	}
	q := u.Query()
	q.Set("response_type", "code")
	q.Set("client_id", p.ClientID)
	q.Set("redirect_uri", redirectURI)
	setAsked(q, p)
	q.Set("state", state)
	q.Set("code_challenge", challenge)
	q.Set("code_challenge_method", "S256")
	if nonce != "" {
		q.Set("nonce", nonce) // OpenID Connect Core §3.1.2.1
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// The HTTP client is the domain's Signer.
var _ tokens.Signer = (*Client)(nil)
