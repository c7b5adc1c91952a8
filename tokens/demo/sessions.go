package demo

import (
	"net/http"
)

// Ending sessions, as an identity provider's administrator (or a password
// change) would: POST ISSUER/sessions/end forgets every live refresh token
// of that sign-in client, so the next refresh of a signed-in profile is
// refused (invalid_grant) and Tokentray shows "sign-in needed". It lets a
// person try the demo's whole sign-in life, and the docs screenshots show
// that state. The demo server listens on loopback only and holds no real
// sessions: anyone on the machine may end them.

// handleEndSessions ends the named client's sessions and answers how many
// ended ({"ended": N}).
func (s *Server) handleEndSessions(w http.ResponseWriter, r *http.Request) {
	c, ok := s.byName[r.PathValue("name")]
	if !ok || !c.profile.Grant.SignsIn() {
		writeError(w, http.StatusNotFound, "invalid_request", "no sign-in client of that name here")
		return
	}
	writeJSON(w, map[string]any{"ended": s.signins.endSessions(c.profile.ClientID)})
}

// endSessions forgets every live refresh token of client id and returns
// how many there were.
func (s *signins) endSessions(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for raw, r := range s.refresh {
		if r.client == id {
			delete(s.refresh, raw)
			n++
		}
	}
	return n
}
