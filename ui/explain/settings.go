package explain

// The window's settings under the profile list.

// SettingsFold labels the button that folds and unfolds the settings.
const SettingsFold = "Settings"

// SettingClearClipboard labels the choice of when a copied token leaves
// the clipboard.
const SettingClearClipboard = "Clear copied tokens from the clipboard"
