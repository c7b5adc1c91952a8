// Command tokenserver is a loopback OAuth 2.0 token endpoint for the Windows
// check (.ci/test-windows): it is built for Linux and runs beside Wine, so
// the Windows build of Tokentray talks to it over 127.0.0.1 like a real
// server. It accepts the client-credentials grant with client_secret_basic
// for one client, counts the token requests it answers, and prints its base
// URL on the first line of stdout:
//
//	tokenserver: http://127.0.0.1:PORT
//
// POST /token     a token (JSON, expires_in 3600): "tok-N", N counting from 1
// GET  /count     the number of tokens issued so far, as a decimal line
//
// Flags: -client-id, -secret (both required). Build it explicitly (testdata
// is outside ./...): go build -o bin/tokenserver ./testdata/tokenserver
package main

import (
	"crypto/subtle"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"sync/atomic"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("tokenserver: ")
	clientID := flag.String("client-id", "", "the client ID to accept")
	secret := flag.String("secret", "", "the client secret to accept")
	flag.Parse()
	if *clientID == "" || *secret == "" {
		log.Fatal("-client-id and -secret are required")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	var issued atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		id, sec, ok := r.BasicAuth()
		if !ok || !equal(id, *clientID) || !equal(sec, *secret) {
			writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "invalid_client"})
			return
		}
		if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": "unsupported_grant_type"})
			return
		}
		n := issued.Add(1)
		writeJSON(w, http.StatusOK, map[string]any{
			"access_token": fmt.Sprintf("tok-%d", n),
			"token_type":   "Bearer",
			"expires_in":   3600,
		})
	})
	mux.HandleFunc("GET /count", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, issued.Load())
	})
	fmt.Printf("tokenserver: http://%s\n", ln.Addr())
	log.Fatal(http.Serve(ln, mux))
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
