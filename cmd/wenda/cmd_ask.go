package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"wenda/answer"
)

// askFlags are the settings of wenda ask beyond the common ones.
type askFlags struct {
	json    bool
	history listFlag // earlier questions for a follow-up, oldest first
}

func init() {
	register(command{
		name:    "ask",
		summary: "answer a question from the articles, citing the passages it rests on",
		usage:   `"question" [--json] [--mode hybrid] [-k 5] [--history "earlier question"]...`,
		setup: func(fs *flag.FlagSet) runFunc {
			f := &askFlags{}
			fs.BoolVar(&f.json, "json", false, "print the answer as JSON")
			fs.Var(&f.history, "history", "an earlier question of the conversation, for a follow-up (repeat for more, oldest first)")
			return f.run
		},
	})
}

func (f *askFlags) run(ctx context.Context, env *Env, args []string) error {
	q, err := questionArg(args)
	if err != nil {
		return err
	}
	eng, search, _, err := env.openDefault(ctx, false)
	if err != nil {
		return err
	}
	defer eng.Close()
	svc := newAnswerService(env, search)
	req := answer.Request{Question: q, History: f.history, K: env.Cfg.K, Mode: env.Cfg.Mode}

	if f.json {
		a, err := svc.Ask(ctx, req)
		if err != nil {
			return err
		}
		return writeJSON(env.Stdout, a)
	}
	// Print verified sentences as they come, so an LLM answer reads as it
	// is written.
	a, err := svc.AskStream(ctx, req, func(e answer.Event) error {
		if e.Type == answer.EventDelta {
			_, err := io.WriteString(env.Stdout, e.Delta)
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	printAnswer(env, a)
	return nil
}

// printAnswer prints what follows the streamed text: the reason for a
// refusal, or the numbered citations with the passage each rests on.
func printAnswer(env *Env, a answer.Answer) {
	w := env.Stdout
	fmt.Fprintln(w)
	if a.Fallback {
		fmt.Fprintf(env.Stderr, "note: the language model failed (%s); this is the offline extractive answer\n", a.FallbackReason)
	}
	if !a.Answerable {
		fmt.Fprintf(w, "\n(no answer: %s)\n", a.Reason)
		return
	}
	if sa := a.ShortAnswer; sa != nil {
		fmt.Fprintf(w, "\nshort answer: %s [%d]\n", sa.Text, sa.Citation)
	}
	fmt.Fprintln(w)
	for _, c := range a.Citations {
		check := ""
		if !c.Supported {
			check = "  [not verified]"
		}
		src := c.Title
		if c.Source != "" {
			src += " — " + c.Source
		}
		page := ""
		if c.Page > 0 {
			page = fmt.Sprintf("page %d, ", c.Page)
		}
		fmt.Fprintf(w, "[%d] %s  (%s, %scharacters %d–%d)%s\n", c.N, src, c.DocID, page, c.Start, c.End, check)
		fmt.Fprintf(w, "    “%s”\n", citedExcerpt(c, 140))
	}
}

// citedExcerpt shows the evidence sentences of a citation — the words
// its claims rest on — cut to about n characters, rather than the start of
// the passage.
func citedExcerpt(c answer.Citation, n int) string {
	quote := []rune(c.Quote)
	var parts []string
	for _, e := range c.Evidence {
		from, to := e.Start-c.Start, e.End-c.Start
		if from < 0 || to > len(quote) || from >= to {
			continue
		}
		parts = append(parts, string(quote[from:to]))
	}
	if len(parts) == 0 {
		return snippet(c.Quote, n)
	}
	out := snippet(strings.Join(parts, " … "), n)
	if c.Evidence[0].Start > c.Start {
		out = "…" + out
	}
	return out
}
