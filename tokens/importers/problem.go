package importers

import (
	"fmt"
	"strings"
)

// What the readers found, as data: ui/explain words it (ImportProblem,
// ImportNote, ImportSkip). Nothing here is a sentence; a test holds the
// types to that (problem_test.go).

// ProblemCode names what keeps a configuration from making a profile.
type ProblemCode string

// The problems.
const (
	// ProblemUnsetVariable: Var has no value in the environment given (or
	// none was given).
	ProblemUnsetVariable ProblemCode = "unset_variable"
	// ProblemSelfReference: Var refers to itself, through the variables
	// in Through.
	ProblemSelfReference ProblemCode = "self_reference"
	// ProblemTooDeep: variables refer to variables more than MaxVarDepth
	// levels deep, at Var.
	ProblemTooDeep ProblemCode = "too_deep"
	// ProblemTooLong: the field is longer than Limit bytes once its
	// variables are filled in.
	ProblemTooLong ProblemCode = "too_long"
	// ProblemBudget: the source's whole budget for filling in variables
	// (MaxSubstitutions, MaxSubstituted) is spent; Limit is the one passed
	// and Substitutions says which.
	ProblemBudget ProblemCode = "budget"
	// ProblemMissing: the field is required and empty.
	ProblemMissing ProblemCode = "missing"
	// ProblemBadDuration: the field of a Tokentray export holds Value,
	// which is not a duration such as "5m".
	ProblemBadDuration ProblemCode = "bad_duration"
	// ProblemMore: Count more problems, not listed (at most maxProblems are).
	ProblemMore ProblemCode = "more"
)

// Problem is one thing that keeps a configuration from making a profile.
type Problem struct {
	Code ProblemCode
	// Field is the profile field concerned (a tokens.Field* name); for an
	// extra parameter (tokens.FieldParams) Param names it, and is empty
	// for the parameter's name itself.
	Field, Param string
	// Var is the {{variable}} concerned; Through the variables on the way
	// back to it (ProblemSelfReference).
	Var     string
	Through []string
	// Limit is the limit passed (ProblemTooLong, ProblemTooDeep,
	// ProblemBudget); Substitutions is set when the budget spent is the
	// number of substitutions rather than bytes.
	Limit         int
	Substitutions bool
	// Value is the value refused, as read (ProblemBadDuration).
	Value string
	// Count is how many problems ProblemMore stands for.
	Count int
}

// key identifies p among a candidate's problems, for listing each once.
func (p Problem) key() string {
	return fmt.Sprint(p.Code, "\x00", p.Field, "\x00", p.Param, "\x00", p.Var, "\x00", strings.Join(p.Through, "\x01"), "\x00",
		p.Limit, p.Substitutions, "\x00", p.Value, "\x00", p.Count)
}

// NoteCode names something that changed on the way from the source to
// the profile, that the user may want to know.
type NoteCode string

// The notes.
const (
	// NoteReservedParam: the extra parameter Param was dropped, because
	// Tokentray sets it itself (grant_type, client_id, scope…).
	NoteReservedParam NoteCode = "reserved_param"
	// NoteQueryInURL: parameters the source sends in the URL's query were
	// added to the token URL.
	NoteQueryInURL NoteCode = "query_in_url"
	// NoteCallbackNotLoopback: the source's callback URL, Param
	// (printable), is not http on a loopback host with a port, so the
	// sign-in listens on any free port of 127.0.0.1 instead.
	NoteCallbackNotLoopback NoteCode = "callback_not_loopback"
	// NoteCallbackRegister: the sign-in listens on the port of the
	// source's loopback callback URL, but its redirect URI is Param, which
	// the provider must accept.
	NoteCallbackRegister NoteCode = "callback_register"
)

// Note is one thing that changed on the way.
type Note struct {
	Code  NoteCode
	Param string
}

// SkipCode names why an OAuth 2.0 configuration is not imported.
type SkipCode string

// The reasons to skip.
const (
	// SkipGrant: the grant type, Grant ("" when none is given), is not
	// imported: only client_credentials and authorization_code (with or
	// without PKCE) are; password and implicit are forbidden by RFC 9700.
	SkipGrant SkipCode = "grant"
	// SkipUnreadable: the configuration (a .bru file, Postman's oauth2
	// settings) could not be read; Err says why.
	SkipUnreadable SkipCode = "unreadable"
)
