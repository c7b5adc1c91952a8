package oauth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/tokentray/tokentray/tokens"
)

// ClientAssertionType is the client_assertion_type of RFC 7523 §2.2
// (tokens.ClientAssertionType).
const ClientAssertionType = tokens.ClientAssertionType

// AssertionLifetime is how long a client assertion is valid after it is
// signed (its exp minus its iat).
const AssertionLifetime = 5 * time.Minute

// applyClientAuth adds the client authentication of p (normalized) to a
// token request for endpoint: body fields and/or the Authorization header.
// tls_client_auth only adds client_id here; its certificate is part of the
// transport (see clientCertificate). now stamps assertions. Errors caused by
// the profile's key material wrap ErrConfig and never contain it.
func applyClientAuth(p tokens.Profile, endpoint string, now time.Time, body url.Values, h http.Header) error {
	switch p.Auth {
	case tokens.AuthClientSecretBasic:
		// RFC 6749 §2.3.1: both parts are form-urlencoded before Basic.
		cred := url.QueryEscape(p.ClientID) + ":" + url.QueryEscape(p.ClientSecret)
		h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(cred)))
	case tokens.AuthClientSecretPost:
		body.Set("client_id", p.ClientID)
		body.Set("client_secret", p.ClientSecret)
	case tokens.AuthClientSecretJWT:
		a, err := signAssertion(jwt.SigningMethodHS256, []byte(p.ClientSecret), "", p.ClientID, endpoint, now)
		if err != nil {
			return fmt.Errorf("%w: %s: %v", tokens.ErrConfig, tokens.FieldClientSecret, err)
		}
		setAssertion(body, p.ClientID, a)
	case tokens.AuthPrivateKeyJWT:
		method, key, err := assertionKey(p.Alg, p.PrivateKeyPEM)
		if err != nil {
			return err
		}
		a, err := signAssertion(method, key, p.KeyID, p.ClientID, endpoint, now)
		if err != nil {
			return fmt.Errorf("%w: %s: cannot sign with this key: %v", tokens.ErrConfig, tokens.FieldPrivateKey, err)
		}
		setAssertion(body, p.ClientID, a)
	case tokens.AuthNone:
		// A public client names itself only (RFC 6749 §3.2.1); PKCE or
		// the device code binds the grant to it.
		body.Set("client_id", p.ClientID)
	case tokens.AuthTLSClient:
		// RFC 8705 §2: the client is identified by client_id in the body
		// and authenticated by the TLS handshake.
		body.Set("client_id", p.ClientID)
	default:
		return fmt.Errorf("%w: %s: unsupported method %q", tokens.ErrConfig, tokens.FieldAuth, p.Auth)
	}
	return nil
}

func setAssertion(body url.Values, clientID, assertion string) {
	// client_id is optional with assertions (RFC 7523 §3) but some servers
	// (Microsoft Entra ID among them) require it.
	body.Set("client_id", clientID)
	body.Set("client_assertion_type", ClientAssertionType)
	body.Set("client_assertion", assertion)
}

// signAssertion makes an RFC 7523 client assertion: iss = sub = client ID,
// aud = the token endpoint, a fresh random jti, iat = now and
// exp = now + AssertionLifetime.
func signAssertion(method jwt.SigningMethod, key any, kid, clientID, aud string, now time.Time) (string, error) {
	claims := jwt.MapClaims{
		"iss": clientID,
		"sub": clientID,
		"aud": aud, // a plain string: some servers reject an array
		"jti": rand.Text(),
		"iat": now.Unix(),
		"exp": now.Add(AssertionLifetime).Unix(),
	}
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	return tok.SignedString(key)
}

// assertionKey parses a private_key_jwt key and checks that it fits alg.
func assertionKey(alg, keyPEM string) (jwt.SigningMethod, crypto.Signer, error) {
	key, err := parsePrivateKey(keyPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s: %v", tokens.ErrConfig, tokens.FieldPrivateKey, err)
	}
	switch alg {
	case tokens.AlgRS256, tokens.AlgPS256:
		if _, ok := key.(*rsa.PrivateKey); !ok {
			return nil, nil, fmt.Errorf("%w: %s: %s needs an RSA key, got %s", tokens.ErrConfig, tokens.FieldPrivateKey, alg, keyKind(key))
		}
		if alg == tokens.AlgPS256 {
			return jwt.SigningMethodPS256, key, nil
		}
		return jwt.SigningMethodRS256, key, nil
	case tokens.AlgES256:
		if k, ok := key.(*ecdsa.PrivateKey); !ok || k.Curve != elliptic.P256() {
			return nil, nil, fmt.Errorf("%w: %s: ES256 needs an EC P-256 key, got %s", tokens.ErrConfig, tokens.FieldPrivateKey, keyKind(key))
		}
		return jwt.SigningMethodES256, key, nil
	}
	return nil, nil, fmt.Errorf("%w: %s: unsupported algorithm %q", tokens.ErrConfig, tokens.FieldAlg, alg)
}

func keyKind(k crypto.Signer) string {
	switch k := k.(type) {
	case *rsa.PrivateKey:
		return fmt.Sprintf("an RSA-%d key", k.N.BitLen())
	case *ecdsa.PrivateKey:
		return "an EC " + k.Curve.Params().Name + " key"
	}
	return fmt.Sprintf("a %T key", k)
}

// parsePrivateKey reads the first private key block of a PEM text in PKCS#8
// ("PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY") or SEC 1 ("EC PRIVATE KEY")
// form. Other blocks (EC PARAMETERS, certificates) are skipped. Encrypted
// keys are refused. Errors never quote the key.
func parsePrivateKey(keyPEM string) (crypto.Signer, error) {
	rest := []byte(keyPEM)
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil, fmt.Errorf("no PEM private key block found")
		}
		if !strings.HasSuffix(block.Type, "PRIVATE KEY") {
			continue
		}
		if block.Type == "ENCRYPTED PRIVATE KEY" || strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED") {
			return nil, fmt.Errorf("encrypted private keys are not supported; store the key unencrypted in the keyring")
		}
		var (
			key any
			err error
		)
		switch block.Type {
		case "RSA PRIVATE KEY":
			key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
		case "EC PRIVATE KEY":
			key, err = x509.ParseECPrivateKey(block.Bytes)
		default:
			key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
			if err != nil { // mislabelled blocks are common
				if k, err1 := x509.ParsePKCS1PrivateKey(block.Bytes); err1 == nil {
					key, err = k, nil
				} else if k, err2 := x509.ParseECPrivateKey(block.Bytes); err2 == nil {
					key, err = k, nil
				}
			}
		}
		if err != nil {
			return nil, fmt.Errorf("cannot parse %s block: %v", block.Type, err)
		}
		signer, ok := key.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("unsupported key type %T", key)
		}
		return signer, nil
	}
}

// clientCertificate loads the tls_client_auth certificate and key of p and
// checks that the certificate is currently valid by now. Errors wrap ErrConfig.
func clientCertificate(p tokens.Profile, now time.Time) (*tls.Certificate, error) {
	if _, err := parsePrivateKey(p.ClientKeyPEM); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", tokens.ErrConfig, tokens.FieldClientKey, err)
	}
	cert, err := tls.X509KeyPair([]byte(p.ClientCertPEM), []byte(p.ClientKeyPEM))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", tokens.ErrConfig, tokens.FieldClientCert, err)
	}
	leaf := cert.Leaf
	if leaf == nil {
		if leaf, err = x509.ParseCertificate(cert.Certificate[0]); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", tokens.ErrConfig, tokens.FieldClientCert, err)
		}
	}
	if now.After(leaf.NotAfter) {
		return nil, fmt.Errorf("%w: %s: certificate expired on %s", tokens.ErrConfig, tokens.FieldClientCert, leaf.NotAfter.UTC().Format(time.RFC3339))
	}
	return &cert, nil
}
