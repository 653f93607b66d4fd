package answer

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"wenda/prompts"
	"wenda/question"
	"wenda/retrieval"
)

// Trace is what the service measures on the way to answering one
// question: the candidate short answers with their features, and the
// features of the answerability decision. "wenda train" learns the span
// and answerability models from traces of labelled questions.
type Trace struct {
	Question string
	Type     question.Type
	// Spans are the candidate short answers, best first by the span
	// model in use, with their features (SpanFeatureNames order).
	Spans []TracedSpan
	// Features are the answerability features (FeatureNames).
	Features map[string]float64
	// Probability is the answerability model's estimate.
	Probability float64
	// RefusedAnyway is set when Ask refuses the question whatever the
	// answerability model says (an English question offline whose words
	// the passages do not hold, or one in which the offline reader finds
	// no sentence to quote): the model does not decide it, and is not
	// fitted on it.
	RefusedAnyway bool
	// Sentences are the reader's best sentences, best first, at most
	// tracedSentences.
	Sentences []TracedSentence
}

// TracedSentence is one sentence the reader scored.
type TracedSentence struct {
	Text    string // folded
	Passage int    // 0-based position among the passages
	Score   float64
	// Coverage is the IDF-weighted share of the focus it holds.
	Coverage float64
}

// tracedSentences is how many of the best sentences a Trace keeps.
const tracedSentences = 8

// TracedSpan is one candidate short answer.
type TracedSpan struct {
	Text string // folded
	// Answer is the short answer the reader shows when it chooses the
	// span: the span refined (2009年5月 → 2009年 for 哪一年, 当时由约翰·
	// 温克尔曼 → 约翰·温克尔曼), folded; "" when it shows none.
	Answer   string
	Features []float64
	Score    float64
}

// Trace retrieves passages for a question and reads them as Ask would,
// without generating or verifying, and reports what it measured.
func (s *Service) Trace(ctx context.Context, req Request) (Trace, error) {
	q := strings.TrimSpace(req.Question)
	if q == "" {
		return Trace{}, ErrEmptyQuestion
	}
	qa := question.Analyze(q)
	res, err := s.search.Search(ctx, retrieval.Query{Collection: req.Collection, Text: q, Question: qa, K: req.K, Mode: req.Mode, Filter: req.Filter, MMR: req.MMR})
	if err != nil {
		if errors.Is(err, retrieval.ErrEmptyQuery) {
			return Trace{}, ErrEmptyQuestion
		}
		return Trace{}, fmt.Errorf("retrieve: %w", err)
	}
	lang := prompts.LanguageFrom(q, scriptOf(res.Passages))
	tr := Trace{Question: q, Type: qa.Type}
	if len(res.Passages) == 0 {
		return tr, nil
	}
	v := s.verifier(res.Passages, lang)
	ex := extractive{weights: s.weights(res), spans: s.opts.Spans, maxSentences: s.opts.MaxSentences, quarantined: v.quarantined()}
	rd := ex.read(qa, res.Passages, len(res.Passages), lang.Script())
	for _, c := range rd.spans {
		text := c.text()
		answer := text
		// Most spans need no refining; their answer shares the text's
		// bytes (training keeps a million of them).
		switch sp, ok := c.shown(qa); {
		case !ok:
			answer = ""
		case sp != c.span:
			answer = string(c.sent.folded[sp.Start:sp.End])
		}
		tr.Spans = append(tr.Spans, TracedSpan{Text: text, Answer: answer, Features: c.features, Score: c.score})
	}
	for _, st := range rd.best[:min(tracedSentences, len(rd.best))] {
		tr.Sentences = append(tr.Sentences, TracedSentence{Text: string(st.folded), Passage: st.passage, Score: st.score, Coverage: st.cov})
	}
	tr.Features = measure(qa, res, rd)
	tr.RefusedAnyway = untranslatedMiss(qa, res, req.Topic) || (s.opts.Generator == nil && rd.raw == "") ||
		rd.deniedPremise(qa) != ""
	tr.Probability = s.opts.Answerability.Probability(Vector(tr.Features))
	return tr, nil
}
