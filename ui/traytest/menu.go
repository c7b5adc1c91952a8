package traytest

import (
	"fmt"
	"time"

	"github.com/godbus/dbus/v5"
)

const (
	itemIface = "org.kde.StatusNotifierItem"
	menuIface = "com.canonical.dbusmenu"
)

// MenuItem is one entry of a dbusmenu layout.
type MenuItem struct {
	ID int32
	// Props are the entry's properties as sent ("label", "enabled",
	// "visible", "type", "toggle-type", "children-display", …).
	Props    map[string]dbus.Variant
	Children []MenuItem
}

// Label is the "label" property ("" when absent).
func (m MenuItem) Label() string { return m.str("label") }

// Type is the "type" property: "separator", or "" for a standard item.
func (m MenuItem) Type() string { return m.str("type") }

// ChildrenDisplay is the "children-display" property: "submenu" when the
// entry opens a submenu.
func (m MenuItem) ChildrenDisplay() string { return m.str("children-display") }

// Enabled reports the "enabled" property (true when absent, per the spec).
func (m MenuItem) Enabled() bool { return m.boolean("enabled", true) }

// Visible reports the "visible" property (true when absent, per the spec).
func (m MenuItem) Visible() bool { return m.boolean("visible", true) }

func (m MenuItem) str(k string) string {
	s, _ := m.Props[k].Value().(string)
	return s
}

func (m MenuItem) boolean(k string, def bool) bool {
	if v, ok := m.Props[k]; ok {
		if b, ok := v.Value().(bool); ok {
			return b
		}
	}
	return def
}

// Find returns the first entry, depth first, for which match is true.
func (m MenuItem) Find(match func(MenuItem) bool) (MenuItem, bool) {
	for _, c := range m.Children {
		if match(c) {
			return c, true
		}
		if f, ok := c.Find(match); ok {
			return f, true
		}
	}
	return MenuItem{}, false
}

// Labels lists the labels of the direct children, separators as "---".
func (m MenuItem) Labels() []string {
	out := make([]string, len(m.Children))
	for i, c := range m.Children {
		if c.Type() == "separator" {
			out[i] = "---"
		} else {
			out[i] = c.Label()
		}
	}
	return out
}

// MenuPath reads the item's Menu property: the object path of its dbusmenu.
func MenuPath(conn *dbus.Conn, it Item) (dbus.ObjectPath, error) {
	v, err := conn.Object(it.Service, it.Path).GetProperty(itemIface + ".Menu")
	if err != nil {
		return "", fmt.Errorf("traytest: read %s Menu property: %w", it, err)
	}
	p, ok := v.Value().(dbus.ObjectPath)
	if !ok || !p.IsValid() {
		return "", fmt.Errorf("traytest: %s Menu property is %v, not an object path", it, v)
	}
	return p, nil
}

// Layout calls com.canonical.dbusmenu.GetLayout(0, -1, []) on the item's
// menu and returns the revision and the whole tree (the root has ID 0).
func Layout(conn *dbus.Conn, it Item) (uint32, MenuItem, error) {
	path, err := MenuPath(conn, it)
	if err != nil {
		return 0, MenuItem{}, err
	}
	var rev uint32
	var raw struct {
		V0 int32
		V1 map[string]dbus.Variant
		V2 []dbus.Variant
	}
	call := conn.Object(it.Service, path).Call(menuIface+".GetLayout", 0, int32(0), int32(-1), []string{})
	if err := call.Store(&rev, &raw); err != nil {
		return 0, MenuItem{}, fmt.Errorf("traytest: GetLayout on %s%s: %w", it.Service, path, err)
	}
	root, err := convert([]any{raw.V0, raw.V1, raw.V2})
	if err != nil {
		return 0, MenuItem{}, err
	}
	return rev, root, nil
}

// convert turns a (ia{sv}av) layout, as godbus decodes nested structs
// inside variants ([]any), into a MenuItem.
func convert(v any) (MenuItem, error) {
	fields, ok := v.([]any)
	if !ok || len(fields) != 3 {
		return MenuItem{}, fmt.Errorf("traytest: menu layout node is %T, want (ia{sv}av)", v)
	}
	id, ok1 := fields[0].(int32)
	props, ok2 := fields[1].(map[string]dbus.Variant)
	kids, ok3 := fields[2].([]dbus.Variant)
	if !ok1 || !ok2 || !ok3 {
		return MenuItem{}, fmt.Errorf("traytest: menu layout node has types %T, %T, %T", fields[0], fields[1], fields[2])
	}
	m := MenuItem{ID: id, Props: props}
	for _, k := range kids {
		c, err := convert(k.Value())
		if err != nil {
			return MenuItem{}, err
		}
		m.Children = append(m.Children, c)
	}
	return m, nil
}

// Click sends com.canonical.dbusmenu.Event(id, "clicked", "", now) to the
// item's menu, as a panel does when the user picks an entry.
func Click(conn *dbus.Conn, it Item, id int32) error {
	path, err := MenuPath(conn, it)
	if err != nil {
		return err
	}
	call := conn.Object(it.Service, path).Call(menuIface+".Event", 0, id, "clicked", dbus.MakeVariant(""), uint32(time.Now().Unix()))
	if call.Err != nil {
		return fmt.Errorf("traytest: click entry %d of %s: %w", id, it, call.Err)
	}
	return nil
}
