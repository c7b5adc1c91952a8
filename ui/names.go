package ui

import (
	"slices"
	"strings"
)

// sortNames orders profile names as people look for them: ignoring case
// ("bad-secret" before "Orders API"), then by the exact name.
func sortNames(names []string) {
	slices.SortFunc(names, compareNames)
}

// compareNames compares two profile names ignoring case, then exactly.
func compareNames(a, b string) int {
	if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}
