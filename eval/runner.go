package eval

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"wenda/answer"
	"wenda/retrieval"
)

// Searcher retrieves passages; *retrieval.Index satisfies it.
type Searcher interface {
	Search(ctx context.Context, q retrieval.Query) (retrieval.Result, error)
}

// Asker answers questions with cited passages; *answer.Service satisfies
// it.
type Asker interface {
	Ask(ctx context.Context, req answer.Request) (answer.Answer, error)
}

var (
	_ Searcher = (*retrieval.Searcher)(nil)
	_ Asker    = (*answer.Service)(nil)
)

// Judge scores how many claims of an answer the passages they cite
// support. LLMJudge is the implementation that asks a model.
type Judge interface {
	Judge(ctx context.Context, question string, a answer.Answer) (supported, total int, err error)
}

// Runner asks a question set and scores the results. Searcher is required;
// without an Asker only retrieval is measured, and without a Judge there is
// no faithfulness metric.
type Runner struct {
	Searcher Searcher
	Asker    Asker
	Judge    Judge
}

// Config says how to ask the questions.
type Config struct {
	// K is how many passages an answer is built from; 0 means 5. Retrieval
	// metrics always look at the first 10 passages of their own search.
	K    int
	Mode retrieval.Mode
	// Parallel is how many questions are asked at once; 0 means 1, which
	// keeps the latency figures free of contention.
	Parallel int
	// Progress, when set, is told how many questions are done.
	Progress func(done, total int)
	// Name and Split label the report.
	Name  string
	Split string
}

// ErrNoSearcher is returned by Run when the Runner has no Searcher.
var ErrNoSearcher = errors.New("eval: no searcher")

// Run asks every question and returns the report. It stops at the first
// error, naming the question that failed.
func (r *Runner) Run(ctx context.Context, qs []Question, cfg Config) (Report, error) {
	if r.Searcher == nil {
		return Report{}, ErrNoSearcher
	}
	if cfg.K <= 0 {
		cfg.K = 5
	}
	if cfg.Mode == "" {
		cfg.Mode = retrieval.ModeHybrid
	}
	workers := min(max(cfg.Parallel, 1), max(len(qs), 1))
	results := make([]QuestionResult, len(qs))
	answerers := make([]string, len(qs))
	var (
		mu    sync.Mutex
		done  int
		norms = newNormCache()
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for i := range qs {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			res, who, err := r.one(gctx, qs[i], cfg, norms)
			if err != nil {
				return fmt.Errorf("question %s: %w", qs[i].ID, err)
			}
			results[i], answerers[i] = res, who
			mu.Lock()
			done++
			if cfg.Progress != nil {
				cfg.Progress(done, len(qs))
			}
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return Report{}, err
	}
	if err := ctx.Err(); err != nil {
		return Report{}, err
	}
	rep := Report{
		Summary:     summarize(results),
		RefusalROC:  refusalROC(results),
		ByTag:       byTag(results),
		PerQuestion: results,
		Name:        cfg.Name,
		Split:       cfg.Split,
		Mode:        cfg.Mode,
		K:           cfg.K,
	}
	for _, q := range results {
		if q.threshold > 0 {
			rep.Threshold = q.threshold
			break
		}
	}
	for _, a := range answerers {
		if a != "" {
			rep.Answerer = a
			break
		}
	}
	return rep, nil
}

// one asks a single question: a search for the retrieval metrics, then the
// answer, then the judge.
func (r *Runner) one(ctx context.Context, q Question, cfg Config, norms *normCache) (QuestionResult, string, error) {
	res := QuestionResult{ID: q.ID, Question: q.Question, Tags: q.Tags, Answerable: q.Answerable, Factoid: isFactoid(q)}
	evidence := newMatcher(q.Evidence)

	sr, err := r.Searcher.Search(ctx, retrieval.Query{Text: q.Question, K: cutRank, Mode: cfg.Mode})
	if err != nil {
		return res, "", fmt.Errorf("search: %w", err)
	}
	res.RetrievalMS = ms(sr.Took)
	res.TotalMS = res.RetrievalMS
	if q.Answerable {
		hits := make([][]bool, len(sr.Passages))
		for i, p := range sr.Passages {
			hits[i] = evidence.groups(norms.get(p.Text))
		}
		rel := relevant(hits)
		res.HitRank = firstRelevant(rel, cutRank)
		res.RecallAt5 = recallAt(hits, len(evidence), cutRecall)
		res.NDCGAt10 = ndcgAt(rel, len(evidence), cutRank)
	}
	if r.Asker == nil {
		return res, "", nil
	}

	a, err := r.Asker.Ask(ctx, answer.Request{Question: q.Question, K: cfg.K, Mode: cfg.Mode})
	if err != nil {
		return res, "", fmt.Errorf("ask: %w", err)
	}
	res.asked = true
	res.Refused = !a.Answerable
	res.Answer, res.Reason, res.ReasonCode, res.Fallback = a.Text, a.Reason, a.ReasonCode, a.Fallback
	if a.Answerability != nil {
		p := a.Answerability.Probability
		res.Answerability, res.Features = &p, a.Answerability.Features
		res.threshold = a.Answerability.Threshold
	}
	if !res.Refused {
		res.AnswerRunes = answerRunes(a.Text)
		res.Repeats = repeatsSentence(a.Text)
		if a.ShortAnswer != nil {
			res.ShortAnswer = a.ShortAnswer.Text
		}
	}
	res.RetrievalMS = a.Timings.RetrievalMS
	res.GenerationMS = a.Timings.GenerationMS
	res.VerificationMS = a.Timings.VerificationMS
	res.TotalMS = a.Timings.TotalMS
	who := a.Answerer
	if a.Model != "" {
		who += " (" + a.Model + ")"
	}
	if !q.Answerable {
		return res, who, nil
	}
	facts := ratio{total: len(q.AnswerFacts)}
	if !res.Refused {
		facts = factRecall(newMatcher(q.AnswerFacts), a.Text)
	}
	if res.ShortAnswer != "" && len(q.AnswerFacts) > 0 {
		// A short answer is one span: it is scored against the first
		// group of facts, the answer proper.
		res.ExactMatch = exactMatch(res.ShortAnswer, q.AnswerFacts[0])
		res.CharF1 = charF1(res.ShortAnswer, q.AnswerFacts[0])
	}
	res.FactsFound, res.FactsTotal = facts.hit, facts.total
	if res.Refused {
		return res, who, nil
	}
	v := citationValidity(a.Text, a.Citations)
	p := citationPrecision(evidence, a.Citations)
	c := citationRecall(evidence, a.Text, a.Citations)
	res.ValidMarkers, res.Markers = v.hit, v.total
	res.EvidenceCites, res.Citations = p.hit, p.total
	res.EvidenceClaims, res.Claims = c.hit, c.total
	if r.Judge != nil {
		ok, n, err := r.Judge.Judge(ctx, q.Question, a)
		if err != nil {
			return res, who, fmt.Errorf("judge: %w", err)
		}
		res.Faithful, res.JudgedClaims, res.judged = ok, n, true
	}
	return res, who, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// normCache remembers normalised passage texts: the same passages come
// back for many questions, and normalising converts scripts.
type normCache struct {
	mu sync.Mutex
	m  map[string]string
}

func newNormCache() *normCache { return &normCache{m: map[string]string{}} }

func (c *normCache) get(text string) string {
	c.mu.Lock()
	n, ok := c.m[text]
	c.mu.Unlock()
	if ok {
		return n
	}
	n = Normalize(text)
	c.mu.Lock()
	c.m[text] = n
	c.mu.Unlock()
	return n
}

// refusalROC is the ROC of the refusal decision over the questions that
// were given an answerability score (see refusalScore).
func refusalROC(rs []QuestionResult) []ROCPoint {
	var scores []float64
	var labels []bool
	for _, r := range rs {
		if p, ok := refusalScore(r); ok {
			scores = append(scores, p)
			labels = append(labels, r.Answerable)
		}
	}
	pts, _, _ := rocCurve(scores, labels)
	return pts
}

// refusalScore is the score a question's refusal ROC reads: its
// answerability, 0 when it was refused though its answerability reached
// the threshold or for a reason that is not the threshold's
// (answer.ThresholdRefusal), and 1 when it was answered though its
// answerability fell short of it. Such a question was decided by another
// rule (refused: an English question offline whose words the passages do
// not hold, an answer that failed verification; answered: a passage that
// states the answer in so many words, as the service's
// Answerability.Stated says), which no threshold changes: it counts as
// refused, or answered, at every threshold, so that the curve, its area
// and its rejection at the budget describe the decisions wenda makes, not
// the model's scores alone. ok is false for a question with no score.
func refusalScore(r QuestionResult) (p float64, ok bool) {
	if r.Answerability == nil {
		return 0, false
	}
	p = *r.Answerability
	switch {
	case r.threshold <= 0:
		// No threshold known: the score as it is.
	case r.Refused && (p >= r.threshold || !answer.ThresholdRefusal(r.ReasonCode)):
		p = 0
	case !r.Refused && p < r.threshold:
		p = 1
	}
	return p, true
}
