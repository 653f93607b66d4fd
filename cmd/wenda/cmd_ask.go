package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"

	"wenda/answer"
	"wenda/retrieval"
)

var askFlags struct {
	json    bool
	history historyFlag
}

// historyFlag collects earlier questions for a follow-up, oldest first.
type historyFlag []string

func (h *historyFlag) String() string     { return strings.Join(*h, " | ") }
func (h *historyFlag) Set(v string) error { *h = append(*h, v); return nil }

func init() {
	register(command{
		name:    "ask",
		summary: "answer a question from the articles, citing the passages it rests on",
		usage:   `"question" [--json] [--mode hybrid] [-k 5] [--history "earlier question"]...`,
		run:     runAsk,
	})
	commandFlags["ask"] = func(fs *flag.FlagSet) {
		fs.BoolVar(&askFlags.json, "json", false, "print the answer as JSON")
		fs.Var(&askFlags.history, "history", "an earlier question of the conversation, for a follow-up (repeat for more, oldest first)")
	}
}

func runAsk(ctx context.Context, env *Env, args []string) error {
	q := strings.TrimSpace(strings.Join(args, " "))
	if q == "" {
		return fmt.Errorf("%w: no question given", errUsage)
	}
	ix, err := env.openIndex(ctx)
	if err != nil {
		return err
	}
	defer ix.Close()
	svc := newAnswerService(env, ix)
	req := answer.Request{Question: q, History: askFlags.history, K: env.Cfg.K, Mode: env.Cfg.Mode}

	if askFlags.json {
		a, err := svc.Ask(ctx, req)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(a)
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
		fmt.Fprintf(w, "[%d] %s  (%s, characters %d–%d)%s\n", c.N, src, c.DocID, c.Start, c.End, check)
		fmt.Fprintf(w, "    “%s”\n", citedExcerpt(c.Quote, firstClaimCiting(a.Text, c.N), 140))
	}
}

// markerRE matches the normalised markers of a verified answer.
var markerRE = regexp.MustCompile(`\[(\d+)\]`)

// firstClaimCiting returns the first sentence of an answer text that
// carries [n], without its markers.
func firstClaimCiting(text string, n int) string {
	tag := fmt.Sprintf("[%d]", n)
	for _, s := range retrieval.SplitSentences(text) {
		if strings.Contains(s, tag) {
			return markerRE.ReplaceAllString(s, "")
		}
	}
	return ""
}

// citedExcerpt shows the sentence of a quote that shares the most terms
// with the claim citing it, with the sentences after it up to about n
// characters, so the reader sees the words the claim rests on rather than
// the start of the passage.
func citedExcerpt(quote, claim string, n int) string {
	want := map[string]bool{}
	for _, t := range retrieval.Terms(claim) {
		want[t] = true
	}
	sents := retrieval.SplitSentences(quote)
	best, bestHits := 0, -1
	for i, s := range sents {
		hits := 0
		for _, t := range retrieval.Terms(s) {
			if want[t] {
				hits++
			}
		}
		if hits > bestHits {
			best, bestHits = i, hits
		}
	}
	if len(sents) == 0 {
		return snippet(quote, n)
	}
	out := sents[best]
	for i := best + 1; i < len(sents) && len([]rune(out))+len([]rune(sents[i])) <= n; i++ {
		out += sents[i]
	}
	out = snippet(out, n)
	if best > 0 {
		out = "…" + out
	}
	return out
}
