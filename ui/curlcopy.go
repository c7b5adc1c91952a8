package ui

import (
	"context"

	"github.com/tokentray/tokentray/ui/curlcmd"
	"github.com/tokentray/tokentray/ui/explain"
)

// copyCurl puts the profile's token request on the clipboard as a curl
// command (package curlcmd: no secret in it, they are read from
// environment variables it names). An issuer profile's endpoint may have
// to be discovered first, so the command is made in the background. The
// outcome goes to report, or from the tray (report nil) as trayReport
// says. (ui)
func (c *controller) copyCurl(name string, report func(statusMsg)) {
	if report == nil {
		report = c.trayReport
	}
	ps, ok := c.opts.Engine.Snapshot().Find(name)
	if !ok {
		return
	}
	p := ps.Profile
	c.bg(func() {
		command, err := curlcmd.ForProfile(context.Background(), c.opts.Requests, p, fetchTimeout)
		c.ui(func() {
			if err != nil {
				report(statusMsg{title: "Could not make the curl command for " + name,
					body: explain.WithPeriod(explain.Sentence(explain.Error(err))), kind: msgError})
				return
			}
			c.copyPlain(command)
			report(statusMsg{title: "Copied the token request of " + name + " as a curl command",
				body: "It reads the secrets from environment variables it names at the top; it holds none.", kind: msgSuccess})
		})
	})
}

// copyPlain puts text that holds no secret on the clipboard (a curl
// command, a redacted exchange): not marked as a secret nor cleared, so a
// clipboard manager may keep it like any copied text. (ui)
func (c *controller) copyPlain(text string) {
	c.clip.clipboard().SetContent(text)
}
