package importers

import (
	"fmt"
	"strings"

	"github.com/tokentray/tokentray/tokens"
)

// bruFile is a parsed .bru file: its dictionary blocks ("name { k: v }"),
// list blocks ("name [ a, b ]"); text blocks (docs, scripts, bodies) are
// skipped.
type bruFile struct {
	dicts map[string][]bruPair
	lists map[string][]string
}

type bruPair struct {
	key, value string
	enabled    bool // false for "~key: value"
}

// dict returns the enabled pairs of a block as a map.
func (f bruFile) dict(block string) map[string]string {
	m := map[string]string{}
	for _, p := range f.dicts[block] {
		if p.enabled {
			m[p.key] = p.value
		}
	}
	return m
}

// textBlocks hold free text; their lines are never taken as pairs.
func isTextBlock(name string) bool {
	return name == "docs" || strings.HasPrefix(name, "script") || strings.HasPrefix(name, "tests") ||
		(strings.HasPrefix(name, "body") && name != "body:form-urlencoded" && name != "body:multipart-form")
}

// parseBru reads the Bru language: a block opens with "name {" or "name ["
// at the start of a line and closes with "}" or "]" alone on a line.
func parseBru(src string) (bruFile, error) {
	f := bruFile{dicts: map[string][]bruPair{}, lists: map[string][]string{}}
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], " \t")
		if strings.TrimSpace(line) == "" {
			continue
		}
		var closer string
		switch {
		case strings.HasSuffix(line, "{"):
			closer = "}"
		case strings.HasSuffix(line, "["):
			closer = "]"
		default:
			return f, fmt.Errorf("line %d: expected a block such as \"meta {\", found %q", i+1, truncate(line))
		}
		name := strings.TrimSpace(line[:len(line)-1])
		start := i + 1
		for i++; i < len(lines) && strings.TrimRight(lines[i], " \t") != closer; i++ {
		}
		if i >= len(lines) {
			return f, fmt.Errorf("line %d: block %q is not closed", start, truncate(name))
		}
		body := lines[start:i]
		switch {
		case closer == "]":
			for _, l := range body {
				if v := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(l), ",")); v != "" {
					f.lists[name] = append(f.lists[name], v)
				}
			}
		case isTextBlock(name):
		default:
			for _, l := range body {
				l = strings.TrimSpace(l)
				if l == "" {
					continue
				}
				k, v, _ := strings.Cut(l, ":")
				p := bruPair{key: strings.TrimSpace(k), value: strings.TrimSpace(v), enabled: true}
				if strings.HasPrefix(p.key, "~") {
					p.key, p.enabled = strings.TrimPrefix(p.key, "~"), false
				}
				f.dicts[name] = append(f.dicts[name], p)
			}
		}
	}
	return f, nil
}

// truncate shortens a quote of the file in an error.
func truncate(s string) string { return tokens.Shorten(s, 60) }
