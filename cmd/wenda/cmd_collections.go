package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"wenda/client"
)

// collectionsFlags are the settings of wenda collections.
type collectionsFlags struct {
	json        bool
	title       string
	description string
	language    string
	examples    listFlag
}

func init() {
	register(command{
		name:    "collections",
		summary: "list, create or delete collections, in the data directory or on --server",
		usage:   "[list] | create ID --title T [--description D] [--language zh-Hans|zh-Hant|en] [--example Q]... | delete ID",
		setup: func(fs *flag.FlagSet) runFunc {
			f := &collectionsFlags{}
			fs.BoolVar(&f.json, "json", false, "print JSON")
			fs.StringVar(&f.title, "title", "", "title of a new collection")
			fs.StringVar(&f.description, "description", "", "what the documents of a new collection are about, in one line")
			fs.StringVar(&f.language, "language", "", "language of most documents of a new collection: zh-Hans, zh-Hant or en")
			fs.Var(&f.examples, "example", "a question the page suggests for a new collection (repeat for more)")
			return f.run
		},
	})
}

func (f *collectionsFlags) run(ctx context.Context, env *Env, args []string) error {
	verb := "list"
	if len(args) > 0 {
		verb, args = args[0], args[1:]
	}
	want := map[string]int{"list": 0, "create": 1, "delete": 1}
	n, ok := want[verb]
	if !ok {
		return fmt.Errorf("%w: unknown action %q; use list, create or delete", errUsage, verb)
	}
	if len(args) != n {
		return fmt.Errorf("%w: %s takes %d argument(s), got %d", errUsage, verb, n, len(args))
	}
	lib, err := env.openLibrary(ctx)
	if err != nil {
		return err
	}
	defer lib.Close()
	switch verb {
	case "create":
		c, err := lib.CreateCollection(ctx, client.NewCollection{
			ID: args[0], Title: f.title, Description: f.description, Language: f.language, Examples: f.examples,
		})
		if err != nil {
			return errKeyHint(err)
		}
		if f.json {
			return writeJSON(env.Stdout, c)
		}
		fmt.Fprintf(env.Stdout, "created collection %s (%s)\n", c.ID, c.Title)
		return nil
	case "delete":
		if err := lib.DeleteCollection(ctx, args[0]); err != nil {
			return errKeyHint(err)
		}
		fmt.Fprintf(env.Stdout, "deleted collection %s and all its documents\n", args[0])
		return nil
	}
	cs, err := lib.Collections(ctx)
	if err != nil {
		return errKeyHint(err)
	}
	if f.json {
		return writeJSON(env.Stdout, map[string]any{"collections": cs})
	}
	// The engine's vector compression gets a column where the engine has
	// the setting (Weaviate), before the title, which may hold spaces.
	compressed := slices.ContainsFunc(cs, func(c client.Collection) bool { return c.Quantization != "" })
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	header := "ID\tDOCUMENTS\tCHUNKS\tQUEUED\tFAILED\t"
	if compressed {
		header += "QUANTIZATION\t"
	}
	fmt.Fprintln(tw, header+"TITLE")
	for _, c := range cs {
		title := c.Title
		if c.Description != "" {
			title += " — " + c.Description
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t", c.ID, c.Documents, c.Chunks, c.Queued, c.Failed)
		if compressed {
			fmt.Fprintf(tw, "%s\t", c.Quantization)
		}
		fmt.Fprintln(tw, strings.TrimSpace(title))
	}
	return tw.Flush()
}
