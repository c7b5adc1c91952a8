package importers

import "fmt"

// walker is what the Postman and Insomnia readers share while they walk a
// collection's folders: the result being built, the variables, the
// collection's name, and the limits of the walk (MaxNesting, MaxItems).
type walker struct {
	result     *Result
	vars       resolver
	collection string
	count      int // items seen so far
}

// enter checks a folder level at depth against MaxNesting.
func (w *walker) enter(depth int) error {
	if depth > MaxNesting {
		return fmt.Errorf("folders nested deeper than %d: %w", MaxNesting, ErrTooLarge)
	}
	return nil
}

// next counts one more item against MaxItems.
func (w *walker) next() error {
	if w.count++; w.count > MaxItems {
		return fmt.Errorf("more than %d items: %w", MaxItems, ErrTooLarge)
	}
	return nil
}

// childPath is path with name appended, in a slice of its own.
func childPath(path []string, name string) []string {
	return append(append([]string(nil), path...), name)
}
