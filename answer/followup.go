package answer

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"wenda/endpoint"
	"wenda/prompts"
)

// maxHistory is how many earlier turns a rewrite sees; older ones rarely
// hold what a pronoun refers to.
const maxHistory = 4

// standalone returns the text to retrieve for question q.
//
// Offline, a question is searched as it is, with the previous user turn
// appended when there is one, so that "那关税呢？" after a question about
// the Madrid talks still finds them. With an LLM, the model rewrites a
// follow-up into a standalone question, and an English question into a
// Chinese one, since the articles are Chinese and neither BM25 nor the
// relevance signal can match English words against them; the rewrite is
// what retrieval searches and, for a follow-up, what the model then
// answers. If the rewrite fails and FallbackOnError is set, the offline
// query is used and the model's error is returned as down, so that the
// answer falls back at once instead of calling a failing model again.
func (s *Service) standalone(ctx context.Context, q string, lang prompts.Language, history []string, topic prompts.Topic, a *Answer) (query string, down *endpoint.Error, err error) {
	var turns []string
	for _, h := range history {
		if h = strings.TrimSpace(h); h != "" {
			turns = append(turns, h)
		}
	}
	offline := q
	if len(turns) > 0 {
		offline = q + " " + turns[len(turns)-1]
		a.Query = offline
	}
	translate := lang == prompts.English && topic.Foreign()
	if s.opts.Generator == nil || len(turns) == 0 && !translate {
		return offline, nil, nil
	}
	turns = turns[max(0, len(turns)-maxHistory):]
	msgs, err := prompts.Rewrite(prompts.RewriteInput{History: turns, Question: q, Language: lang, Translate: translate, Topic: topic})
	if err != nil {
		return "", nil, err
	}
	t := time.Now()
	// The rewrite may take half the model's time; the answer needs the rest.
	mctx, cancel := modelContext(ctx, 0.5)
	defer cancel()
	text, err := s.opts.Generator.Complete(mctx, msgs)
	a.Timings.RewriteMS = ms(time.Since(t))
	if err != nil {
		if ctx.Err() != nil || !s.opts.FallbackOnError || !errors.As(err, &down) {
			return "", nil, err
		}
		return offline, down, nil
	}
	rewritten := firstLine(text)
	if rewritten == "" || utf8.RuneCountInString(rewritten) > MaxQuestionRunes {
		return offline, nil, nil
	}
	a.Query = rewritten
	if len(turns) > 0 {
		a.Standalone = rewritten
	}
	return rewritten, nil, nil
}

// firstLine is the first non-empty line of a model reply, without the
// quotes a model may wrap it in.
func firstLine(text string) string {
	for _, l := range strings.Split(text, "\n") {
		l = strings.Trim(strings.TrimSpace(l), `"'“”「」`)
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}
