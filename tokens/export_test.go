package tokens

// Internals for the tests of package tokens_test.

// RequestFields is the one list of the Profile fields that shape the token
// request (see requestFields).
type RequestFields = requestFields

// SameRequest is sameRequest on a and b made canonical, as the Manager
// compares them.
func SameRequest(a, b Profile) bool { return sameRequest(canonical(a), canonical(b)) }

// FieldRoles is the role table (see fieldRoles).
var FieldRoles = fieldRoles

// SessionFields is the list of the request fields that identify a sign-in
// (see sessionFields).
type SessionFields = sessionFields
