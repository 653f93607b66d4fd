package answer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"wenda/endpoint"
	"wenda/hanzi"
	"wenda/prompts"
	"wenda/question"
	"wenda/retrieval"
)

// Searcher retrieves passages for a query; *retrieval.Searcher is one.
type Searcher interface {
	Search(ctx context.Context, q retrieval.Query) (retrieval.Result, error)
}

var _ Searcher = (*retrieval.Searcher)(nil)

// MaxQuestionRunes bounds the length of a question, and of each earlier
// turn of its history.
const MaxQuestionRunes = 2000

// MaxHistoryTurns bounds the earlier turns a request may carry. Only the
// last few are ever used (one offline, maxHistory for a rewrite); the bound
// keeps a request from making the server hold or scan more than that.
const MaxHistoryTurns = 20

// Errors for questions the service will not take.
var (
	ErrEmptyQuestion   = errors.New("empty question")
	ErrQuestionTooLong = errors.New("question too long")
	ErrHistoryTooLong  = errors.New("history too long")
)

// The answerers an Answer can name.
const (
	AnswererExtractive = "extractive"
	AnswererLLM        = "llm"
)

// Options configure a Service. The zero value answers offline with the
// calibrated thresholds.
type Options struct {
	// Generator is the LLM; nil answers with the extractive answerer.
	Generator Generator
	// Weights gives corpus-wide term statistics to the extractive
	// answerer; nil takes those of the query's terms from its search
	// result.
	Weights TermWeights
	// Answerability is the model that decides whether the passages
	// answer a question; nil selects the model shipped with wenda
	// (DefaultAnswerabilityModel).
	Answerability *LinearModel
	// Spans is the model that ranks candidate short answers; nil selects
	// the model shipped with wenda (DefaultSpanModel).
	Spans *SpanModel
	// MinAnswerability overrides the model's threshold: the service
	// refuses when the estimated probability that the passages answer is
	// below it. Zero or negative keeps the model's own threshold.
	MinAnswerability float64
	// MinOverlap is the bigram overlap a sentence needs with the passages
	// it cites; zero or negative selects DefaultMinOverlap.
	MinOverlap float64
	// ContextRunes is the passage budget of an LLM prompt; zero or
	// negative selects prompts.DefaultContextRunes.
	ContextRunes int
	// MaxSentences bounds an extractive answer; zero or negative selects
	// DefaultMaxSentences.
	MaxSentences int
	// FallbackOnError makes an LLM failure before the first verified
	// sentence produce the extractive answer, marked Fallback, instead of
	// an error.
	FallbackOnError bool
}

// Service answers questions: it retrieves passages, refuses when they are
// not relevant enough, generates an answer with the LLM or the extractive
// answerer, and verifies every sentence's citations before the user sees
// it. It is safe for concurrent use.
type Service struct {
	search Searcher
	opts   Options
}

// NewService returns a Service that retrieves with s.
func NewService(s Searcher, opts Options) *Service {
	if opts.Answerability == nil {
		opts.Answerability = DefaultAnswerabilityModel()
	}
	if opts.Spans == nil {
		opts.Spans = DefaultSpanModel()
	}
	if opts.MinOverlap <= 0 {
		opts.MinOverlap = DefaultMinOverlap
	}
	if opts.ContextRunes <= 0 {
		opts.ContextRunes = prompts.DefaultContextRunes
	}
	if opts.MaxSentences <= 0 {
		opts.MaxSentences = DefaultMaxSentences
	}
	return &Service{search: s, opts: opts}
}

// Answerer names the answerer the service uses: "llm" or "extractive".
func (s *Service) Answerer() string {
	if s.opts.Generator != nil {
		return AnswererLLM
	}
	return AnswererExtractive
}

// Model names the LLM, or "" offline.
func (s *Service) Model() string {
	if s.opts.Generator != nil {
		return s.opts.Generator.Model()
	}
	return ""
}

// Threshold is the answerability threshold in use: below it the service
// refuses.
func (s *Service) Threshold() float64 { return s.opts.threshold() }

func (o Options) threshold() float64 {
	if o.MinAnswerability > 0 {
		return o.MinAnswerability
	}
	return o.Answerability.Threshold
}

// Ask answers one question. It returns ErrEmptyQuestion or
// ErrQuestionTooLong (wrapped) for a question it will not take, an
// *endpoint.Error when the LLM fails and FallbackOnError is off, and ctx's
// error when ctx ends first. A refusal is an Answer, not an error.
func (s *Service) Ask(ctx context.Context, req Request) (Answer, error) {
	return s.run(ctx, req, nil)
}

// AskStream answers one question and reports its progress to emit: one
// retrieval event with the passages, delta events with the answer text,
// one citations event, then done with the final Answer. Deltas are whole
// verified sentences with their final citation numbers, so their
// concatenation is the final Answer.Text, no claim is shown that
// verification would drop, and no delta ends inside a marker.
//
// Errors before the retrieval event (an invalid question, a failed search)
// are only returned, so that a server can still answer with a status code;
// later ones are also emitted as an error event, unless ctx was cancelled.
// An error from emit (the client went away) stops everything and is
// returned.
func (s *Service) AskStream(ctx context.Context, req Request, emit func(Event) error) (Answer, error) {
	if emit == nil {
		emit = func(Event) error { return nil }
	}
	return s.run(ctx, req, emit)
}

// run is the pipeline of Ask and AskStream; emit is nil for Ask.
func (s *Service) run(ctx context.Context, req Request, emit func(Event) error) (Answer, error) {
	start := time.Now()
	q := strings.TrimSpace(req.Question)
	switch n := utf8.RuneCountInString(q); {
	case n == 0:
		return Answer{}, ErrEmptyQuestion
	case n > MaxQuestionRunes:
		return Answer{}, fmt.Errorf("%w: %d characters, at most %d", ErrQuestionTooLong, n, MaxQuestionRunes)
	}
	if err := checkHistory(req.History); err != nil {
		return Answer{}, err
	}
	ctx, usage := withMeter(ctx)
	lang := prompts.LanguageOf(q)
	a := Answer{Question: q, Language: string(lang), Answerer: s.Answerer(), Model: s.Model(), Citations: []Citation{}}

	// A follow-up is made standalone before retrieval.
	query, down, err := s.standalone(ctx, q, lang, req.History, req.Topic, &a)
	if err != nil {
		return Answer{}, err
	}
	// The question is analysed once; retrieval, the reader, the
	// answerability decision and the prompt all read this analysis.
	qa := question.Analyze(query)
	t := time.Now()
	res, err := s.search.Search(ctx, retrieval.Query{Collection: req.Collection, Text: qa.SearchText(), Question: qa, K: req.K, Mode: req.Mode, Filter: req.Filter, MMR: req.MMR})
	a.Timings.RetrievalMS = ms(time.Since(t))
	if err != nil {
		if errors.Is(err, retrieval.ErrEmptyQuery) {
			return Answer{}, ErrEmptyQuestion
		}
		return Answer{}, fmt.Errorf("retrieve: %w", err)
	}
	a.Relevance, a.Degraded = res.Relevance, res.Degraded
	if err := ctx.Err(); err != nil {
		return Answer{}, err
	}
	// A question that asks two things may find the second in passages
	// the whole question does not rank first: each part searches too, and
	// what it brings follows the question's own passages, which decide
	// whether the question is answered; when they refuse it, each part's
	// own search decides for that part (readParts).
	whole := len(res.Passages)
	var parts []partResult
	if qa.Compound() && whole > 0 {
		res.Passages, parts = s.partPassages(ctx, req, qa, res.Passages)
		a.Timings.RetrievalMS = ms(time.Since(t))
	}
	// A question whose characters do not tell the scripts apart is
	// answered in the script of the documents that answer it.
	lang = prompts.LanguageFrom(q, scriptOf(res.Passages[:whole]))
	a.Language = string(lang)
	st := &streamer{emit: emit, ctx: ctx, topic: req.Topic}
	if err := st.send(Event{Type: EventRetrieval, Passages: res.Passages, Language: a.Language}); err != nil {
		return Answer{}, err
	}

	a, err = s.answer(ctx, a, qa, lang, res, whole, parts, down, st)
	a.Timings.TotalMS = ms(time.Since(start))
	a.Usage = usage.total()
	if err != nil {
		// The sentences already shown keep their citations: a reader must
		// be able to check what was said before the failure.
		if st.sent > 0 && len(a.Citations) > 0 {
			_ = st.send(Event{Type: EventCitations, Citations: a.Citations})
		}
		st.fail(err)
		return Answer{}, err
	}
	if err := st.finish(&a); err != nil {
		return Answer{}, err
	}
	return a, nil
}

// scriptOf is the script most of ps's documents are written in, that of the
// first passage's document on a tie; hanzi.Unknown when none is Chinese.
func scriptOf(ps []retrieval.Passage) hanzi.Script {
	first, balance := hanzi.Unknown, 0 // balance: Traditional documents over Simplified ones
	for _, p := range ps {
		switch p.Script {
		case hanzi.Traditional:
			balance++
		case hanzi.Simplified:
			balance--
		default:
			continue
		}
		if first == hanzi.Unknown {
			first = p.Script
		}
	}
	switch {
	case balance > 0:
		return hanzi.Traditional
	case balance < 0:
		return hanzi.Simplified
	}
	return first
}

// checkHistory rejects a history with more than MaxHistoryTurns turns or a
// turn longer than MaxQuestionRunes.
func checkHistory(history []string) error {
	if len(history) > MaxHistoryTurns {
		return fmt.Errorf("%w: %d turns, at most %d", ErrHistoryTooLong, len(history), MaxHistoryTurns)
	}
	for i, h := range history {
		if n := utf8.RuneCountInString(h); n > MaxQuestionRunes {
			return fmt.Errorf("%w: turn %d has %d characters, at most %d", ErrHistoryTooLong, i, n, MaxQuestionRunes)
		}
	}
	return nil
}

// answer reads the passages, decides whether they answer the question,
// then generates and verifies. The first whole passages are the whole
// question's; those after them its parts' (partPassages), whose own
// searches are parts. down is the model's failure when it already failed
// to rewrite the question.
func (s *Service) answer(ctx context.Context, a Answer, qa *question.Analysis, lang prompts.Language, res retrieval.Result, whole int, parts []partResult, down *endpoint.Error, st *streamer) (Answer, error) {
	a.AnswerType = string(qa.Type)
	if len(res.Passages) == 0 {
		refusal(&a, lang, refuseNoPassages)
		a.Answerability = &Answerability{Threshold: s.opts.threshold()}
		return a, st.delta(a.Text, nil)
	}
	// The extractive reader runs on both paths: offline it is the
	// answer, with an LLM its reading feeds the decision and the short
	// answer check.
	t := time.Now()
	v := s.verifier(res.Passages, lang)
	ex := extractive{weights: s.weights(res), spans: s.opts.Spans, maxSentences: s.opts.MaxSentences, quarantined: v.quarantined()}
	rd := ex.read(qa, res.Passages, whole, lang.Script())
	a.Timings.GenerationMS = ms(time.Since(t))
	asked := res
	asked.Passages = res.Passages[:whole]
	f := measure(qa, asked, rd)
	ans := &Answerability{Probability: s.opts.Answerability.Probability(Vector(f)), Threshold: s.opts.threshold(), Features: f, Stated: rd.stated}
	a.Answerability = ans
	// A compound question the whole of which is refused is answered
	// when each thing it asks is, read on its own in the passages its own
	// search found (readParts): read whole, the words of one part dilute
	// the other's. Its answer is then the parts' answers, each from its
	// own reading.
	var byParts *partsReading
	if ans.Probability < ans.Threshold && !rd.stated {
		byParts = ex.readParts(s.opts.Answerability, parts, lang.Script())
	}
	if byParts != nil {
		ans.Parts = byParts.probabilities
		if p := byParts.least(); p >= ans.Threshold {
			ans.Probability = p
			res.Passages = withPassages(res.Passages, byParts.passages())
			rd = byParts.compose(res.Passages, lang.Script())
			v = s.verifier(res.Passages, lang)
		}
	}
	refusedAnyway := untranslatedMiss(qa, res, st.topic)
	denied := rd.deniedPremise(qa)
	if ans.Probability < ans.Threshold && !rd.stated || refusedAnyway || denied != "" {
		switch {
		case refusedAnyway:
			// What fails is the match of English words, and the reason
			// says so. It does not quote a probability (the model may
			// well score such passages above the threshold), nor name a
			// name the passages lack: English words found the passages,
			// and passages the collection has that hold the name, in
			// Chinese text ("TikTok相关问题"), were not among them.
			refusal(&a, lang, refuseUntranslated, 100*res.Relevance.Coverage)
		case denied != "":
			// A why-question whose premise the best sentences deny
			// (为什么批准了 against 拒绝批准) is refused whatever the
			// probability, and before any model is asked: quoting the
			// sentence would seem to confirm the premise.
			refusal(&a, lang, refuseDenied, denied)
		case missingNames(res):
			// Say what the passages lack when the question hinges on a
			// number or a name none of them has ("只谈了30分钟").
			refusal(&a, lang, refuseMissingTerms, strings.Join(res.Relevance.Missing, "、"))
		case byParts != nil && slices.Max(byParts.probabilities) >= ans.Threshold:
			// A compound question some parts of which are answerable
			// says which part the passages most likely do not answer:
			// the others may be asked alone.
			i := slices.Index(byParts.probabilities, byParts.least())
			refusal(&a, lang, refuseLowRelevancePart, byParts.results[i].q.Text, byParts.least(), ans.Threshold)
		default:
			refusal(&a, lang, refuseLowRelevance, ans.Probability, ans.Threshold)
		}
		return a, st.delta(a.Text, nil)
	}
	// A list announced in the last sentences of a passage without all of
	// its items goes on in the document: the reader, and the model, read
	// the passages again with the text that follows that one. The
	// decision above stands; this only completes the answer.
	if rd.listCut != nil {
		if ps, ok := s.follow(ctx, res, rd.listCut.passage); ok {
			res.Passages = ps
			v = s.verifier(ps, lang)
			ex.quarantined = v.quarantined()
			rd = ex.read(qa, ps, whole, lang.Script())
		}
	}
	if s.opts.Generator == nil {
		return s.extractive(a, lang, res.Passages, v, rd, st)
	}
	if down != nil {
		return s.fallback(a, lang, res.Passages, v, rd, down, st)
	}
	out, err := s.generate(ctx, a, qa, lang, res.Passages, rd, st)
	if err == nil {
		return out, nil
	}
	// Fall back only while the user has seen no answer text: a stream
	// that broke after verified sentences went out cannot be taken back.
	var ee *endpoint.Error
	if !s.opts.FallbackOnError || !errors.As(err, &ee) || st.sent > 0 || ctx.Err() != nil {
		return out, err
	}
	return s.fallback(a, lang, res.Passages, v, rd, ee, st)
}

// follower extends a passage with the text of its document that follows
// it; *retrieval.Searcher is one.
type follower interface {
	Following(ctx context.Context, coll string, p retrieval.Passage, n int) (retrieval.Passage, error)
}

var _ follower = (*retrieval.Searcher)(nil)

// listFollowRunes is how much text after a passage a list's items are
// looked for in.
const listFollowRunes = 600

// follow returns the passages with passage i followed by the text after
// it in its document, when the searcher can read it and there is any. A
// failure to read it leaves the passages as they were.
func (s *Service) follow(ctx context.Context, res retrieval.Result, i int) ([]retrieval.Passage, bool) {
	f, ok := s.search.(follower)
	if !ok {
		return nil, false
	}
	p, err := f.Following(ctx, res.Collection, res.Passages[i], listFollowRunes)
	if err != nil || p.End == res.Passages[i].End {
		return nil, false
	}
	ps := slices.Clone(res.Passages)
	ps[i] = p
	return ps, true
}

// fallback answers extractively after the model failed.
func (s *Service) fallback(a Answer, lang prompts.Language, ps []retrieval.Passage, v *verifier, rd reading, down *endpoint.Error, st *streamer) (Answer, error) {
	a.Answerer, a.Model = AnswererExtractive, ""
	a.Fallback, a.FallbackReason = true, fallbackReason(down)
	return s.extractive(a, lang, ps, v, rd, st)
}

// fallbackReason says what failed in words safe to show a client: the kind
// of failure and the status, never the service's own error text.
func fallbackReason(e *endpoint.Error) string {
	if e.Status != 0 {
		return fmt.Sprintf("%v (status %d)", e.Kind, e.Status)
	}
	return e.Kind.Error()
}

// extractive answers with the sentences the reader quoted, verified like
// any answer, and the reader's short answer when its sentence was kept.
func (s *Service) extractive(a Answer, lang prompts.Language, ps []retrieval.Passage, v *verifier, rd reading, st *streamer) (Answer, error) {
	if rd.raw == "" {
		refusal(&a, lang, refuseNoSentence)
		return a, st.delta(a.Text, nil)
	}
	c := newComposer(v, ps, st.delta)
	if err := c.write(rd.raw); err != nil {
		return a, err
	}
	if err := c.close(); err != nil {
		return a, err
	}
	a, err := s.finishAnswer(a, lang, c, refuseUnverified, st)
	if err == nil && a.Answerable {
		a.ShortAnswer = shortAnswer(a, ps, rd.short, lang)
	}
	return a, err
}

// generate answers with the LLM, streaming when the caller listens.
func (s *Service) generate(ctx context.Context, a Answer, qa *question.Analysis, lang prompts.Language, ps []retrieval.Passage, rd reading, st *streamer) (Answer, error) {
	question := a.Question
	if a.Standalone != "" {
		question = a.Standalone
	}
	in := prompts.AnswerInput{Question: question, Language: lang, Topic: st.topic, Expect: expectation(qa.Type), Parts: promptParts(qa)}
	for i, p := range ps {
		in.Passages = append(in.Passages, prompts.Passage{N: i + 1, Title: p.Title, Source: p.Source, Date: p.Date, Text: p.Text})
	}
	in.Passages = prompts.Fit(in.Passages, s.opts.ContextRunes)
	used := ps[:len(in.Passages)]
	msgs, err := prompts.Answer(in)
	if err != nil {
		return a, err
	}
	c := newComposer(s.verifier(used, lang), used, st.delta)
	t := time.Now()
	// The model gets the request's time less a reserve, so that when it
	// fails the extractive answer still arrives inside the deadline.
	ctx, cancel := modelContext(ctx, 1)
	defer cancel()
	if st.emit == nil {
		var text string
		if text, err = s.opts.Generator.Complete(ctx, msgs); err == nil {
			err = c.write(text)
		}
	} else {
		err = s.opts.Generator.Stream(ctx, msgs, c.write)
	}
	if err == nil {
		err = c.close()
	}
	a.Timings.GenerationMS = ms(time.Since(t) - c.took)
	if err != nil {
		// What was already shown, with its citations.
		a.Text, a.Citations = c.text.String(), c.citations()
		return a, err
	}
	kind := refuseUnverified
	if prompts.IsRefusal(c.raw.String()) {
		kind = refuseModel
	}
	a, err = s.finishAnswer(a, lang, c, kind, st)
	if err == nil && a.Answerable {
		// The reader's span stands as the short answer when the model's
		// answer states it and cites its passage.
		a.ShortAnswer = shortAnswer(a, used, rd.short, lang)
	}
	return a, err
}

// promptParts lists, for the prompt, the things a compound question asks,
// each with the kind of answer it expects; nil for a question that asks
// one thing.
func promptParts(qa *question.Analysis) []string {
	var out []string
	for _, p := range qa.Parts {
		if e := expectation(p.Type); e != "" {
			out = append(out, p.Text+" ("+e+")")
		} else {
			out = append(out, p.Text)
		}
	}
	return out
}

// expectation describes an answer type for the prompt.
func expectation(t question.Type) string {
	switch t {
	case question.Number:
		return "a number with its unit"
	case question.Date:
		return "a date, year or period"
	case question.Person:
		return "a person's name"
	case question.Place:
		return "a place"
	case question.Organization:
		return "an organisation's name"
	case question.Title:
		return "the title of a work"
	case question.Entity:
		return "a name or a short phrase"
	}
	return ""
}

// finishAnswer fills a from a composer, refusing when no sentence was kept.
func (s *Service) finishAnswer(a Answer, lang prompts.Language, c *composer, kind refusalKind, st *streamer) (Answer, error) {
	a.Timings.VerificationMS = ms(c.took)
	a.Verification = c.stats
	if c.stats.Supported == 0 {
		refusal(&a, lang, kind)
		return a, st.delta(a.Text, nil)
	}
	a.Answerable = true
	a.Text = c.text.String()
	a.Citations = c.citations()
	return a, nil
}

func (s *Service) verifier(ps []retrieval.Passage, lang prompts.Language) *verifier {
	texts := make([]string, len(ps))
	folded := make([]string, len(ps))
	for i, p := range ps {
		texts[i], folded[i] = p.Text, p.Folded
	}
	return newFoldedVerifier(texts, folded, s.opts.MinOverlap, lang == prompts.English)
}

// modelContext bounds the model calls of a request: they must end a
// reserve before the request's deadline, so that the fallback (the
// extractive answer, which takes milliseconds) and its delivery still fit.
// share (0..1] of the time left goes to this call; a rewrite takes part,
// leaving the rest for the answer. Without a deadline ctx is unchanged.
func modelContext(ctx context.Context, share float64) (context.Context, context.CancelFunc) {
	dl, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	left := time.Until(dl)
	reserve := min(max(left/5, 200*time.Millisecond), 5*time.Second)
	budget := time.Duration(float64(left-reserve) * share)
	return context.WithTimeout(ctx, max(budget, 0))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// streamer sends events to a listener, if there is one, and remembers how
// much answer text went out.
type streamer struct {
	emit   func(Event) error
	ctx    context.Context
	topic  prompts.Topic // of the collection asked, for the prompt
	sent   int           // deltas sent
	broken bool          // emit failed: the listener is gone
}

func (st *streamer) send(e Event) error {
	if st.emit == nil {
		return nil
	}
	if err := st.ctx.Err(); err != nil {
		return err
	}
	if err := st.emit(e); err != nil {
		st.broken = true
		return err
	}
	return nil
}

// delta sends a piece of answer text with the citations it is the first
// to use, so that a client can open its markers at once.
func (st *streamer) delta(text string, cites []Citation) error {
	if text == "" || st.emit == nil {
		return nil
	}
	st.sent++
	return st.send(Event{Type: EventDelta, Delta: text, Citations: cites})
}

// finish sends the verified citations and the final answer.
func (st *streamer) finish(a *Answer) error {
	if err := st.send(Event{Type: EventCitations, Citations: a.Citations}); err != nil {
		return err
	}
	return st.send(Event{Type: EventDone, Answer: a})
}

// fail reports err to a listener still there.
func (st *streamer) fail(err error) {
	if st.ctx.Err() == nil && !st.broken {
		_ = st.send(Event{Type: EventError, Err: err})
	}
}

// partPassages searches each part of a compound question on its own and
// adds to the question's passages the first partK each part finds and
// they lack; it returns what each part found, for the part's reading on
// its own (readParts). A part that cannot be searched leaves the passages
// as they are, the whole question's, and no part is read on its own.
func (s *Service) partPassages(ctx context.Context, req Request, qa *question.Analysis, ps []retrieval.Passage) ([]retrieval.Passage, []partResult) {
	var parts []partResult
	for _, pq := range answeredParts(qa) {
		res, err := s.search.Search(ctx, retrieval.Query{Collection: req.Collection, Text: pq.SearchText(), Question: pq, K: req.K, Mode: req.Mode, Filter: req.Filter})
		if err != nil {
			continue
		}
		parts = append(parts, partResult{q: pq, res: res})
		ps = withPassages(ps, res.Passages[:min(partK, len(res.Passages))])
	}
	if len(parts) < len(answeredParts(qa)) {
		parts = nil
	}
	return ps, parts
}

// partResult is what one part of a compound question found searching on
// its own.
type partResult struct {
	q   *question.Analysis
	res retrieval.Result
}

// withPassages returns ps followed by those of more it lacks (by ID):
// the passages before keep their positions, and so their citations.
func withPassages(ps, more []retrieval.Passage) []retrieval.Passage {
	have := map[string]bool{}
	for _, p := range ps {
		have[p.ID] = true
	}
	for _, p := range more {
		if !have[p.ID] {
			have[p.ID] = true
			ps = append(ps, p)
		}
	}
	return ps
}

// partK is how many of the passages each part of a compound question
// finds follow the question's own.
const partK = 3

// maxParts bounds the parts of a compound question that search and are
// answered one by one: a question may hold any number of question marks,
// and each part costs a search and a reading of every passage.
const maxParts = 4

// answeredParts returns the parts of a compound question that search and
// are answered one by one, the first maxParts.
func answeredParts(q *question.Analysis) []*question.Analysis {
	return q.Parts[:min(len(q.Parts), maxParts)]
}

// weights are the term weights the reader uses: the configured ones, or
// the statistics of the collection the passages came from.
func (s *Service) weights(res retrieval.Result) TermWeights {
	if s.opts.Weights != nil {
		return s.opts.Weights
	}
	return res.Terms
}

// untranslatedMiss reports an English question searched as it is over
// the passages of a collection that is not in English, which share few of
// its words: when a name it asks about is in no passage, or most of its
// words are in none, nothing quoted can be about it, and wenda refuses it
// whatever the answerability model says. A question to an English
// collection is the model's to decide.
func untranslatedMiss(qa *question.Analysis, res retrieval.Result, topic prompts.Topic) bool {
	return topic.Foreign() && untranslated(qa) && (missingNames(res) || res.Relevance.Coverage < 0.5)
}

// missingNames reports a question whose numbers or names retrieval found
// in no passage (Relevance.Missing).
func missingNames(res retrieval.Result) bool {
	return !res.Relevance.Exact && len(res.Relevance.Missing) > 0
}

// untranslated reports a question in English searched as it is: offline
// there is no translation, and English words cannot match Chinese articles.
func untranslated(q *question.Analysis) bool {
	han, latin := hanzi.Letters(q.Text)
	return latin > 3*han
}
