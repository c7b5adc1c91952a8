package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/tokentray/tokentray/tokens/importers"
)

// runExport writes the stored profiles as a Tokentray export
// (importers.NewExport), which `tokentray import FILE` reads back.
func runExport(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "export")
	withSecrets := fs.Bool("with-secrets", false, "include client secrets and private keys (in clear text!)")
	timeout := keyringTimeoutFlag(fs)
	pos, err := parse(fs, args, 0, 1)
	if err != nil {
		return err
	}
	profiles, broken, err := env.OpenStore(*timeout).Load(ctx)
	if err != nil {
		return err
	}
	for _, b := range broken {
		fmt.Fprintf(env.Stderr, "tokentray export: skipping profile %q, it cannot be read: %s\n", b.Name, oneLine(describe(b.Err)))
	}
	f := importers.NewExport(profiles, *withSecrets, env.Now())
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if len(pos) == 0 || pos[0] == "-" {
		_, err = env.Stdout.Write(data)
	} else {
		// 0600: the file may hold secrets; never readable by others.
		err = writePrivateFile(pos[0], data)
	}
	if err != nil {
		return fmt.Errorf("writing the export: %w", err)
	}
	if *withSecrets {
		fmt.Fprintln(env.Stderr, "warning: the export contains client secrets and private keys in clear text; keep it safe and delete it when done")
	}
	if len(pos) == 1 && pos[0] != "-" {
		fmt.Fprintf(env.Stdout, "Exported %s to %s.\n", profilesCount(len(f.Profiles)), pos[0])
	}
	if len(broken) > 0 {
		verb := "were"
		if len(broken) == 1 {
			verb = "was"
		}
		return fmt.Errorf("%s could not be read and %s not exported", profilesCount(len(broken)), verb)
	}
	return nil
}
