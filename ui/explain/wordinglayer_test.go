package explain

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens/importers"
)

// The wording layer's boundary with the import pipeline, run by `make
// check`: what the importers report is data (codes and the names, values
// and limits they concern), and every code has its words here.

// TestWordingLayerImportTypesHoldNoSentences: the importers' report types
// carry no free text. A plain string field is allowed only where it holds
// data taken from the source or a field name; a field for a message
// ("Reason string", "Problems []string") fails this test: give it a code
// and word the code in ImportProblem, ImportNote or ImportSkip.
func TestWordingLayerImportTypesHoldNoSentences(t *testing.T) {
	data := map[string][]string{
		"Problem":   {"Field", "Param", "Var", "Through", "Value"},
		"Note":      {"Param"},
		"Skipped":   {"Origin", "Grant"},
		"Candidate": {"Origin", "SecretMissing"},
	}
	for _, v := range []any{importers.Problem{}, importers.Note{}, importers.Skipped{}, importers.Candidate{}} {
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			f := typ.Field(i)
			free := f.Type == reflect.TypeOf("") || f.Type == reflect.TypeOf([]string(nil))
			allowed := false
			for _, name := range data[typ.Name()] {
				allowed = allowed || name == f.Name
			}
			if free && !allowed {
				t.Errorf("importers.%s.%s is free text (%s): report a code and word it in package explain", typ.Name(), f.Name, f.Type)
			}
		}
	}
}

// TestWordingLayerWordsEveryImportCode: each ProblemCode, NoteCode and
// SkipCode declared in tokens/importers has its own words here, not the
// fallback that shows the bare code.
func TestWordingLayerWordsEveryImportCode(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "../../tokens/importers/problem.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			id, ok := vs.Type.(*ast.Ident)
			if !ok || len(vs.Values) != 1 {
				continue
			}
			lit, ok := vs.Values[0].(*ast.BasicLit)
			if !ok {
				continue
			}
			code, _ := strconv.Unquote(lit.Value)
			var words string
			switch id.Name {
			case "ProblemCode":
				words = ImportProblem(importers.Problem{Code: importers.ProblemCode(code), Field: "token_url"})
			case "NoteCode":
				words = ImportNote(importers.Note{Code: importers.NoteCode(code)})
			case "SkipCode":
				words = ImportSkip(importers.Skipped{Code: importers.SkipCode(code), Err: errString("x")})
			default:
				continue
			}
			counts[id.Name]++
			if words == "" || strings.HasSuffix(words, code) {
				t.Errorf("%s %q has no words of its own: %q", id.Name, code, words)
			}
		}
	}
	for _, typ := range []string{"ProblemCode", "NoteCode", "SkipCode"} {
		if counts[typ] == 0 {
			t.Errorf("no %s constants found in problem.go: the test no longer sees them", typ)
		}
	}
}

type errString string

func (e errString) Error() string { return string(e) }
