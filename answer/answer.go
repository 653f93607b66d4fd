package answer

import (
	"wenda/index"
	"wenda/prompts"
	"wenda/retrieval"
)

// Answer is a reply to one question: text with inline [n] markers and the
// citations those markers point at.
type Answer struct {
	Question string `json:"question"`
	// Standalone is the follow-up question as the LLM rewrote it; Query
	// is the text retrieval searched for when it differs from Question (a
	// follow-up, or an English question the LLM put into Chinese).
	Standalone string `json:"standalone,omitempty"`
	Query      string `json:"query,omitempty"`
	// Language is the language and script of the question, and of the
	// answer: "zh-Hans", "zh-Hant" or "en". A Chinese question whose
	// characters both scripts share takes the script of the documents
	// that answer it.
	Language string `json:"language"`
	// Text carries [n] markers after the claims they support. For a refusal
	// it says plainly that the articles do not answer the question.
	Text      string     `json:"text"`
	Citations []Citation `json:"citations"`
	// ShortAnswer is the exact words that answer a factoid question — a
	// number, a date, a name — inside a cited passage; nil when the
	// question asks for more than a span or none was found.
	ShortAnswer *ShortAnswer `json:"short_answer,omitempty"`
	// AnswerType is the kind of answer the question asks for, as
	// question analysis found it ("date", "person", "reason", …).
	AnswerType string `json:"answer_type,omitempty"`
	// Answerability is the decision to answer or refuse: the estimated
	// probability that the passages answer the question and the
	// threshold below which wenda refuses.
	Answerability *Answerability `json:"answerability,omitempty"`
	// Answerable is false when wenda decided the articles do not contain the
	// answer; Reason then says why, with the figures behind the decision,
	// and ReasonCode names the kind of refusal for clients that word it
	// themselves (one of the Refusal* codes).
	Answerable bool   `json:"answerable"`
	Reason     string `json:"reason,omitempty"`
	ReasonCode string `json:"reason_code,omitempty"`
	// Answerer is "extractive" or "llm"; Model names the LLM when one was used.
	Answerer string `json:"answerer"`
	Model    string `json:"model,omitempty"`
	// Fallback is true when the LLM failed and the extractive answerer
	// produced this answer instead; FallbackReason says what failed.
	Fallback       bool   `json:"fallback,omitempty"`
	FallbackReason string `json:"fallback_reason,omitempty"`
	// Degraded says why retrieval was not what the mode promised, such as
	// an embedding service that failed, so that passages were found by
	// BM25 alone.
	Degraded string `json:"degraded,omitempty"`
	// Usage is the tokens the model services reported for this answer,
	// when they reported any.
	Usage        *Usage              `json:"usage,omitempty"`
	Relevance    retrieval.Relevance `json:"relevance"`
	Verification Verification        `json:"verification"`
	Timings      Timings             `json:"timings"`
}

// Citation is the target of one [n] marker: the passage, where it sits in its
// article, and whether the sentences citing it were verified against it.
type Citation struct {
	N       int    `json:"n"`
	ChunkID string `json:"chunk_id"`
	DocID   string `json:"doc_id"`
	Title   string `json:"title"`
	Source  string `json:"source,omitempty"`
	// Quote is the passage text in the article's original script; Start and
	// End are its rune offsets in the document's cleaned text.
	Quote string  `json:"quote"`
	Start int     `json:"start"`
	End   int     `json:"end"`
	Score float64 `json:"score"`
	// Supported is true when a sentence citing the passage passed
	// verification against it. The service drops unsupported sentences,
	// so every citation it returns is supported.
	Supported bool `json:"supported"`
	// Evidence are the sentences of the quote that the citing claims rest
	// on, as rune offsets in the document: what a reader should check.
	Evidence []Span `json:"evidence,omitempty"`
	// Page is the page (or slide) of the document where the evidence
	// begins (the passage, when there is no evidence); omitted for
	// documents without pages.
	Page int `json:"page,omitempty"`
}

// ShortAnswer is the span of a document that answers a factoid question.
// Text is in the question's script, like the answer; Start and End are
// rune offsets in the document's cleaned text, like a citation's, and
// Citation is the number of the citation whose passage holds it.
type ShortAnswer struct {
	Text     string `json:"text"`
	Citation int    `json:"citation"`
	DocID    string `json:"doc_id"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
}

// Timings records milliseconds spent per stage.
type Timings struct {
	RewriteMS      float64 `json:"rewrite_ms,omitempty"`
	RetrievalMS    float64 `json:"retrieval_ms"`
	GenerationMS   float64 `json:"generation_ms"`
	VerificationMS float64 `json:"verification_ms"`
	TotalMS        float64 `json:"total_ms"`
}

// Request is a question with its retrieval settings.
type Request struct {
	// Collection is the collection to answer from; "" is the default one.
	Collection string
	Question   string
	// History holds earlier user turns, oldest first, for follow-up questions.
	History []string
	K       int
	Mode    retrieval.Mode
	Filter  index.Filter
	// MMR spreads the passages across articles (maximal marginal relevance).
	MMR bool
	// Topic is the metadata of the collection asked, which the LLM prompts
	// present the documents with.
	Topic prompts.Topic
}

// EventType names the kinds of Event a streamed answer emits, in order:
// one retrieval, any number of deltas, one citations, then done or error.
type EventType string

// The stream event types.
const (
	EventRetrieval EventType = "retrieval"
	EventDelta     EventType = "delta"
	EventCitations EventType = "citations"
	EventDone      EventType = "done"
	EventError     EventType = "error"
)

// Event is one step of a streamed answer. A delta's Citations are those
// its text is the first to cite, with the evidence known so far; the
// citations event has them all, complete.
type Event struct {
	Type     EventType           `json:"type"`
	Passages []retrieval.Passage `json:"passages,omitempty"`
	// Language is the answer's language (Answer.Language), on the
	// retrieval event.
	Language  string     `json:"language,omitempty"`
	Delta     string     `json:"delta,omitempty"`
	Citations []Citation `json:"citations,omitempty"`
	Answer    *Answer    `json:"answer,omitempty"`
	Err       error      `json:"-"`
}
