package eval

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Question is one line of a question set.
type Question struct {
	ID       string `json:"id"`
	Question string `json:"question"`
	// Answerable says whether the articles answer the question; wenda
	// should refuse the ones that are not.
	Answerable bool `json:"answerable"`
	// Evidence lists groups of alternative spans; a passage is relevant to
	// a group when it contains one of the group's spans. A multi-hop
	// question has one group per piece of evidence it needs.
	Evidence []Group `json:"evidence"`
	// AnswerFacts lists groups of alternative strings; the answer states a
	// fact when it contains one of them.
	AnswerFacts []Group `json:"answer_facts"`
	// Tags are free labels; "dev" and "test" mark the split.
	Tags []string `json:"tags"`
	// DocID names the article the question was written from, when the
	// set says so (the converted development sets do); training holds
	// questions out by article.
	DocID string `json:"doc_id,omitempty"`
}

// Article names the article a question was written from: its DocID, else
// its first "doc:" tag (a question over several articles is held out
// with the first it names), else "" (not known).
func (q Question) Article() string {
	if q.DocID != "" {
		return q.DocID
	}
	for _, t := range q.Tags {
		if strings.HasPrefix(t, "doc:") {
			return strings.TrimPrefix(t, "doc:")
		}
	}
	return ""
}

// Group is a set of alternative strings, any one of which counts, such as
// the same phrase in Simplified and Traditional script.
type Group []string

// HasTag reports whether q carries tag.
func (q Question) HasTag(tag string) bool {
	for _, t := range q.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// The splits a question set is divided into by tag.
const (
	SplitDev  = "dev"
	SplitTest = "test"
	SplitAll  = "all"
)

// ErrEmptySplit is returned by SelectSplit when no question belongs to the
// split asked for.
var ErrEmptySplit = errors.New("no questions in split")

// SelectSplit returns the questions of a split: those tagged "dev" or
// "test", or every question for "all" (and for "", which means all).
func SelectSplit(qs []Question, split string) ([]Question, error) {
	switch split {
	case "", SplitAll:
		if len(qs) == 0 {
			return nil, fmt.Errorf("%w %s", ErrEmptySplit, SplitAll)
		}
		return qs, nil
	case SplitDev, SplitTest:
	default:
		return nil, fmt.Errorf("split %q: want %s, %s or %s", split, SplitDev, SplitTest, SplitAll)
	}
	var out []Question
	for _, q := range qs {
		if q.HasTag(split) {
			out = append(out, q)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w %s (tag questions %q, or use %s)", ErrEmptySplit, split, split, SplitAll)
	}
	return out, nil
}

//go:embed questions.jsonl
var defaultQuestions []byte

// DefaultName names the embedded question set in reports.
const DefaultName = "eval/questions.jsonl (embedded)"

// Default returns the question set shipped with wenda, embedded in the
// binary.
func Default() ([]Question, error) {
	qs, err := LoadQuestions(bytes.NewReader(defaultQuestions))
	if err != nil {
		return nil, fmt.Errorf("embedded questions: %w", err)
	}
	return qs, nil
}

// LineError is a malformed line of a question file.
type LineError struct {
	Line int // 1-based
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

func (e *LineError) Unwrap() error { return e.Err }

// maxLine bounds one line of a question file.
const maxLine = 1 << 20

// LoadQuestions reads a question set in JSON Lines, one question per line;
// blank lines are skipped and fields it does not know are ignored. It checks
// every line and returns all the problems it found, each a *LineError
// carrying the line number, joined with errors.Join.
func LoadQuestions(r io.Reader) ([]Question, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLine)
	var (
		qs   []Question
		errs []error
		seen = map[string]int{}
	)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\ufeff"))
		}
		if len(line) == 0 {
			continue
		}
		q, err := parseQuestion(line)
		if err == nil && seen[q.ID] > 0 {
			err = fmt.Errorf("id %q already used on line %d", q.ID, seen[q.ID])
		}
		if err != nil {
			errs = append(errs, &LineError{Line: n, Err: err})
			continue
		}
		seen[q.ID] = n
		qs = append(qs, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read questions: %w", err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(qs) == 0 {
		return nil, errors.New("no questions")
	}
	return qs, nil
}

// rawQuestion tells a missing "answerable" from false.
type rawQuestion struct {
	Question
	Answerable *bool `json:"answerable"`
}

func parseQuestion(line []byte) (Question, error) {
	var raw rawQuestion
	dec := json.NewDecoder(bytes.NewReader(line))
	if err := dec.Decode(&raw); err != nil {
		return Question{}, fmt.Errorf("invalid JSON: %w", err)
	}
	if dec.More() {
		return Question{}, errors.New("more than one JSON value on the line")
	}
	q := raw.Question
	q.ID = strings.TrimSpace(q.ID)
	q.Question = strings.TrimSpace(q.Question)
	switch {
	case q.ID == "":
		return q, errors.New(`missing "id"`)
	case q.Question == "":
		return q, fmt.Errorf("%s: missing \"question\"", q.ID)
	case raw.Answerable == nil:
		return q, fmt.Errorf("%s: missing \"answerable\"", q.ID)
	}
	q.Answerable = *raw.Answerable
	if !q.Answerable {
		if len(q.Evidence) > 0 || len(q.AnswerFacts) > 0 {
			return q, fmt.Errorf("%s: an unanswerable question has no evidence or answer_facts", q.ID)
		}
		return q, nil
	}
	if len(q.Evidence) == 0 {
		return q, fmt.Errorf("%s: an answerable question needs at least one evidence group", q.ID)
	}
	if err := checkGroups(q.Evidence); err != nil {
		return q, fmt.Errorf("%s: evidence %w", q.ID, err)
	}
	if err := checkGroups(q.AnswerFacts); err != nil {
		return q, fmt.Errorf("%s: answer_facts %w", q.ID, err)
	}
	return q, nil
}

// checkGroups rejects empty groups and strings that normalise to nothing,
// which would match every passage.
func checkGroups(gs []Group) error {
	for i, g := range gs {
		if len(g) == 0 {
			return fmt.Errorf("group %d is empty", i+1)
		}
		for _, s := range g {
			if Normalize(s) == "" {
				return fmt.Errorf("group %d has an empty string", i+1)
			}
		}
	}
	return nil
}
