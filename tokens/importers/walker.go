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

// walkTree walks a folder tree depth first within the limits: each level
// is checked by enter (a leaf's empty children too) and each item counted
// by next. visit gets each item with its path (the names of the folders
// down to it, its own name last) and returns its children.
func walkTree[T any](w *walker, items []T, name func(T) string, visit func(it T, path []string) (children []T)) error {
	var walk func(items []T, path []string, depth int) error
	walk = func(items []T, path []string, depth int) error {
		if err := w.enter(depth); err != nil {
			return err
		}
		for _, it := range items {
			if err := w.next(); err != nil {
				return err
			}
			p := childPath(path, name(it))
			if err := walk(visit(it, p), p, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(items, nil, 0)
}
