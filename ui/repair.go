package ui

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2/dialog"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/ui/explain"
)

// Repairing a damaged list of profiles (the keyring store's index) from
// the window's banner: the engine rebuilds it from the profile items the
// keyring holds, then the profiles are loaded again.

// repairStore rebuilds the store's list of profiles in the background, then
// reloads and says what was found. (ui)
func (c *controller) repairStore() {
	c.bg(func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		rep, err := c.opts.Engine.RepairStore(ctx)
		c.ui(func() {
			c.loadProfiles(false)
			if c.win == nil {
				return
			}
			if err != nil && !rep.Changed() {
				c.win.showDialog(dialog.NewError(wordedError{"Could not repair the list of profiles: " + explain.WithPeriod(explain.Error(err))}, c.win.win))
				return
			}
			c.win.showDialog(dialog.NewInformation("List of profiles repaired", repairSummary(rep), c.win.win))
		})
	})
}

// repairSummary words what a repair found, names made printable (they come
// back from items a damaged keyring holds).
func repairSummary(rep tokens.RepairReport) string {
	var b strings.Builder
	if n := len(rep.Profiles); n == 0 {
		b.WriteString("The keyring holds no profiles.")
	} else {
		b.WriteString("Found " + strconv.Itoa(n) + plural(n, " profile: ", " profiles: ") + namesList(rep.Profiles) + ".")
	}
	if !rep.ListWasDamaged && len(rep.Added) > 0 {
		b.WriteString("\nFound again (stored but not listed): " + namesList(rep.Added) + ".")
	}
	if len(rep.Dropped) > 0 {
		b.WriteString("\nNo longer listed (nothing was stored under the name): " + namesList(rep.Dropped) + ".")
	}
	if len(rep.Broken) > 0 {
		b.WriteString("\nCannot be read, kept so you can delete it: " + namesList(profileErrorNames(rep.Broken)) + ".")
	}
	b.WriteString("\nNothing was deleted.")
	return b.String()
}

func profileErrorNames(pes []*tokens.ProfileError) []string {
	names := make([]string, len(pes))
	for i, pe := range pes {
		names[i] = pe.Name
	}
	return names
}

// namesList quotes names for a sentence: “a”, “b” and “c”.
func namesList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "“" + explain.Printable(n) + "”"
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}
