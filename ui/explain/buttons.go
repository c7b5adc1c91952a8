package explain

// Words of buttons every part of the window has.

// Cancel is the button that closes a dialog, or stops what it waits for,
// without doing anything more.
const Cancel = "Cancel"
