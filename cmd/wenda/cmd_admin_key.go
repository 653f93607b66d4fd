package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"wenda/auth"
)

// adminKeyFlags are the settings of wenda admin-key.
type adminKeyFlags struct {
	reset bool
}

func init() {
	register(command{
		name:    "admin-key",
		summary: "say where the admin key comes from; --reset makes a new generated one and prints it",
		usage:   "[--reset] [--data wenda-data]",
		setup: func(fs *flag.FlagSet) runFunc {
			f := &adminKeyFlags{}
			fs.BoolVar(&f.reset, "reset", false, "replace the generated admin key with a new one and print it (a running server takes it at once)")
			return f.run
		},
	})
}

func (f *adminKeyFlags) run(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, args[0])
	}
	c := env.Cfg
	if c.AdminKey != "" {
		if f.reset {
			return errors.New("the admin key is set by WENDA_ADMIN_KEY (or --admin-key); change it there")
		}
		fmt.Fprintln(env.Stdout, "the admin key is the one WENDA_ADMIN_KEY (or --admin-key) sets")
		return nil
	}
	if f.reset {
		key, err := auth.ResetAdminKey(c.DataDir)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "new admin key for %s (shown only now; its hash is kept, the old key no longer works):\n", c.DataDir)
		fmt.Fprintln(env.Stdout, key)
		return nil
	}
	k, created, err := auth.Open(auth.Config{Keys: c.APIKeys, KeysFile: c.APIKeysFile, DataDir: c.DataDir})
	if err != nil {
		return err
	}
	switch {
	case created != "":
		fmt.Fprintf(env.Stderr, "generated the admin key for %s (shown only now):\n", c.DataDir)
		fmt.Fprintln(env.Stdout, created)
	case k.Generated():
		fmt.Fprintf(env.Stdout, "the admin key is the one generated in %s; only its hash is kept, so it cannot be shown again: wenda admin-key --reset makes a new one\n", c.DataDir)
	default:
		fmt.Fprintln(env.Stdout, "the admin key is an admin entry of the listed API keys")
	}
	return nil
}
