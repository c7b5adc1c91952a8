package kit

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// KVLayout lays out key/value pairs (objects alternate key, value) as a
// form does, keys in a column beside their values, while every value's
// longest word fits the value column; in a narrower space it stacks each
// key above its value, full width, so a value is never broken mid-word
// ("13:54:/25", "expire/s_in", issue 29). A word longer than
// KVLongestWord (a URL, a token) does not count: it breaks at any width.
// Its minimum width is the widest key or value alone, so a window can be
// narrow; its minimum height is that of the last width it was given, as
// for Fyne's form layout. Use it on the UI goroutine only.
type KVLayout struct {
	width   float32 // the width of the last layout; 0 before the first
	stacked bool    // the last layout stacked
}

// KVLongestWord is the widest word that keeps a key beside its value.
const KVLongestWord = 220

func (l *KVLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var w float32
	for _, o := range objects {
		if o.Visible() {
			w = max(w, o.MinSize().Width)
		}
	}
	if l.width <= 0 {
		return fyne.NewSize(w, l.place(objects, 0, false))
	}
	return fyne.NewSize(w, l.place(objects, l.width, false))
}

func (l *KVLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	l.width = size.Width
	l.place(objects, size.Width, true)
}

// keyColumn is the width of the key column: the widest key.
func keyColumn(objects []fyne.CanvasObject) float32 {
	var kw float32
	for i := 0; i+1 < len(objects); i += 2 {
		if objects[i].Visible() {
			kw = max(kw, objects[i].MinSize().Width)
		}
	}
	return kw
}

// stacks reports whether, at width, some value's longest word would not
// fit beside the key column.
func stacks(objects []fyne.CanvasObject, width float32) bool {
	col := width - keyColumn(objects) - theme.Padding()
	for i := 1; i < len(objects); i += 2 {
		if objects[i].Visible() && longestWord(objects[i]) > col {
			return true
		}
	}
	return false
}

// LabelOwner is a widget built on a widget.Label (a selectable value, say)
// whose words KVLayout keeps whole as it does a label's.
type LabelOwner interface {
	OwnLabel() *widget.Label
}

// longestWord is the width o needs to show its longest word whole (capped
// at KVLongestWord); 0 for what is not a label.
func longestWord(o fyne.CanvasObject) float32 {
	var text string
	var style fyne.TextStyle
	var size fyne.ThemeSizeName
	switch v := o.(type) {
	case LabelOwner:
		l := v.OwnLabel()
		text, style, size = l.Text, l.TextStyle, l.SizeName
	case *widget.Label:
		text, style, size = v.Text, v.TextStyle, v.SizeName
	default:
		return 0
	}
	if size == "" {
		size = theme.SizeNameText
	}
	var w float32
	for _, word := range strings.Fields(text) {
		w = max(w, fyne.MeasureText(word, theme.Size(size), style).Width)
		if w >= KVLongestWord {
			return KVLongestWord
		}
	}
	return w + 2*theme.InnerPadding()
}

// place lays the rows out at width (moving them when move is set; values
// are resized either way, as a wrapped label's height follows its width)
// and returns the height they need. Width 0 means as wide as they like.
func (l *KVLayout) place(objects []fyne.CanvasObject, width float32, move bool) float32 {
	pad := theme.Padding()
	stacked := width > 0 && stacks(objects, width)
	if move {
		l.stacked = stacked
	}
	kw := keyColumn(objects)
	var y float32
	first := true
	for i := 0; i+1 < len(objects); i += 2 {
		k, v := objects[i], objects[i+1]
		if !k.Visible() && !v.Visible() {
			continue
		}
		if !first {
			y += pad
		}
		first = false
		if move {
			alignKey(k, stacked)
		}
		if stacked {
			kh := k.MinSize().Height
			v.Resize(fyne.NewSize(width, v.Size().Height))
			vh := v.MinSize().Height
			if move {
				k.Move(fyne.NewPos(0, y))
				k.Resize(fyne.NewSize(width, kh))
				v.Move(fyne.NewPos(0, y+kh))
				v.Resize(fyne.NewSize(width, vh))
			}
			y += kh + vh
			continue
		}
		vw := width - kw - pad
		if width <= 0 {
			vw = v.MinSize().Width
		} else {
			v.Resize(fyne.NewSize(vw, v.Size().Height))
		}
		h := max(k.MinSize().Height, v.MinSize().Height)
		if move {
			k.Move(fyne.NewPos(0, y))
			k.Resize(fyne.NewSize(kw, h))
			v.Move(fyne.NewPos(kw+pad, y))
			v.Resize(fyne.NewSize(vw, h))
		}
		y += h
	}
	return y
}

// alignKey puts a key's label at the leading edge when stacked above its
// value, and against the value otherwise.
func alignKey(k fyne.CanvasObject, stacked bool) {
	c, ok := k.(*fyne.Container)
	if !ok || len(c.Objects) == 0 {
		return
	}
	lbl, ok := c.Objects[0].(*widget.Label)
	if !ok {
		return
	}
	want := fyne.TextAlignTrailing
	if stacked {
		want = fyne.TextAlignLeading
	}
	if lbl.Alignment != want {
		lbl.Alignment = want
		lbl.Refresh()
	}
}
