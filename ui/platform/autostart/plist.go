package autostart

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// macOS LaunchAgent: ~/Library/LaunchAgents/ID.plist, loaded by launchd at
// login (RunAtLoad). Built on every OS so its tests run everywhere; used on
// macOS (autostart_darwin.go).

// plistPath is the LaunchAgent file of id.
func plistPath(id string) (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("autostart: no home folder: %w", err)
	}
	return filepath.Join(home, "Library", "LaunchAgents", id+".plist"), nil
}

// launchAgent is the content of e's LaunchAgent plist. ProcessType
// Interactive: a UI app, not throttled like a background job.
func launchAgent(e Entry) []byte {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">` + "\n")
	b.WriteString(`<plist version="1.0">` + "\n<dict>\n")
	fmt.Fprintf(&b, "\t<key>Label</key>\n\t<string>%s</string>\n", xmlText(e.ID))
	b.WriteString("\t<key>ProgramArguments</key>\n\t<array>\n")
	for _, a := range e.Command {
		fmt.Fprintf(&b, "\t\t<string>%s</string>\n", xmlText(a))
	}
	b.WriteString("\t</array>\n")
	b.WriteString("\t<key>RunAtLoad</key>\n\t<true/>\n")
	b.WriteString("\t<key>ProcessType</key>\n\t<string>Interactive</string>\n")
	b.WriteString("</dict>\n</plist>\n")
	return []byte(b.String())
}

func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder never fails
	return b.String()
}

// plistCommand is the ProgramArguments of a LaunchAgent plist, joined by
// spaces for display; empty when the file holds none.
func plistCommand(data []byte) string {
	d := xml.NewDecoder(strings.NewReader(string(data)))
	d.Strict = false // the DOCTYPE names an external DTD
	var args []string
	var key, elem string
	inArgs := false
	for {
		tok, err := d.Token()
		if err != nil {
			return strings.Join(args, " ")
		}
		switch t := tok.(type) {
		case xml.StartElement:
			elem = t.Name.Local
			if elem == "array" {
				inArgs = key == "ProgramArguments"
			}
		case xml.EndElement:
			if t.Name.Local == "array" {
				inArgs = false
			}
			elem = ""
		case xml.CharData:
			switch {
			case elem == "key":
				key = string(t)
			case elem == "string" && inArgs:
				args = append(args, string(t))
			}
		}
	}
}

func enablePlist(e Entry) error {
	path, err := plistPath(e.ID)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, launchAgent(e))
}

func disablePlist(e Entry) error {
	path, err := plistPath(e.ID)
	if err != nil {
		return err
	}
	return removeFile(path)
}

func statusPlist(e Entry) (Status, error) {
	path, err := plistPath(e.ID)
	if err != nil {
		return Status{}, err
	}
	return fileStatus(path, launchAgent(e), plistCommand)
}
