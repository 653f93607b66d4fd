package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"wenda/retrieval"
)

// searchFlags are the settings of wenda search beyond the common ones.
type searchFlags struct {
	json bool
	mmr  bool
}

func init() {
	register(command{
		name:    "search",
		summary: "show the passages that best match a question",
		usage:   `"question" [-k 5] [--mode hybrid] [--mmr] [--json]`,
		setup: func(fs *flag.FlagSet) runFunc {
			f := &searchFlags{}
			fs.BoolVar(&f.json, "json", false, "print the result as JSON")
			fs.BoolVar(&f.mmr, "mmr", false, "spread the passages across articles (maximal marginal relevance)")
			return f.run
		},
	})
}

func (f *searchFlags) run(ctx context.Context, env *Env, args []string) error {
	q, err := questionArg(args)
	if err != nil {
		return err
	}
	eng, search, _, err := env.openDefault(ctx, false)
	if err != nil {
		return err
	}
	defer eng.Close()
	res, err := search.Search(ctx, retrieval.Query{Text: q, K: env.Cfg.K, Mode: env.Cfg.Mode, MMR: f.mmr})
	if err != nil {
		return err
	}
	if f.json {
		return writeJSON(env.Stdout, res)
	}
	fmt.Fprintf(env.Stdout, "%d passages for %q (%s, %.1f ms, relevance %.2f)\n\n", len(res.Passages), res.Query, res.Mode, float64(res.Took.Microseconds())/1000, res.Relevance.Score)
	for i, p := range res.Passages {
		page := ""
		if p.Page > 0 {
			page = fmt.Sprintf("p. %d  ", p.Page)
		}
		fmt.Fprintf(env.Stdout, "%d. %s  [%s  %schars %d–%d  score %.4f]\n", i+1, p.Title, p.ID, page, p.Start, p.End, p.Score)
		fmt.Fprintf(env.Stdout, "   %s\n\n", snippet(p.Text, 160))
	}
	return nil
}

// snippet shortens text to n characters on one line.
func snippet(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	return string(r[:n]) + "…"
}
