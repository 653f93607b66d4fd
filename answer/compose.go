package answer

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"wenda/analysis"
	"wenda/retrieval"
)

// Verification summarises how an answer's sentences fared against the
// passages they cite. Dropped sentences never reach the user; the counts
// let the eval measure how often an answerer writes claims it cannot back.
type Verification struct {
	// Sentences is how many sentences the answerer wrote.
	Sentences int `json:"sentences"`
	// Supported sentences were kept.
	Supported int `json:"supported"`
	// Dropped sentences had no marker pointing at a supplied passage, or
	// their cited passages did not support them.
	Dropped int `json:"dropped"`
	// DroppedMarkers counts markers removed from kept sentences: numbers
	// outside the supplied passages, and passages that did not back the
	// sentence they were attached to.
	DroppedMarkers int `json:"dropped_markers"`
	// Withheld lists the dropped sentences and why each was dropped, so
	// that a reader can see what the answerer wrote and was not shown.
	Withheld []Withheld `json:"withheld,omitempty"`
}

// Withheld is one sentence verification dropped.
type Withheld struct {
	// Text is the sentence as the answerer wrote it, markers removed. It
	// is unverified text: a client shows it as such, if at all.
	Text string `json:"text"`
	// Reason is one of the Withheld* codes.
	Reason string `json:"reason"`
	// Missing lists the numbers and names of the sentence that the cited
	// passages do not contain (reason missing_terms).
	Missing []string `json:"missing,omitempty"`
	// ChunkIDs are the passages the sentence cited, among those supplied.
	ChunkIDs []string `json:"chunk_ids,omitempty"`
}

// Why a sentence was withheld. Clients translate these codes; new checks
// add codes rather than reuse one whose meaning differs.
const (
	// WithheldNoCitation: no marker pointed at a supplied passage.
	WithheldNoCitation = "no_citation"
	// WithheldQuarantined: every passage cited holds instructions to the
	// model and backs nothing.
	WithheldQuarantined = "quarantined"
	// WithheldMissingTerms: a number, date or name of the sentence is in
	// none of the passages cited.
	WithheldMissingTerms = "missing_terms"
	// WithheldLowOverlap: too few of the sentence's words are in the
	// passages cited.
	WithheldLowOverlap = "low_overlap"
	// WithheldNoAnchor: a sentence too short to measure by its words has
	// no number or name found in the passages cited.
	WithheldNoAnchor = "no_anchor"
	// WithheldPolarity: the sentence says the opposite of the passage
	// clauses that carry its words (a negation, denial or reversal added
	// or dropped).
	WithheldPolarity = "polarity"
	// WithheldOverstated: the sentence makes absolute what its passage
	// does not (永久, 全部, always, all…).
	WithheldOverstated = "overstated"
	// WithheldNoSingleSource: the passages cited support the sentence only
	// taken together; none does on its own.
	WithheldNoSingleSource = "no_single_source"
)

// composer turns an answerer's raw text, whole or streamed, into the
// verified answer text: it splits the text into sentences, checks each
// against the passages it cites, drops the unsupported ones, and renumbers
// the markers of the rest 1..n in order of first use. Each kept sentence is
// passed to emit as soon as it is complete, so a streamed answer shows only
// verified sentences and never half a marker.
type composer struct {
	v        *verifier
	passages []retrieval.Passage // as numbered for the answerer, from 1
	// emit receives each kept sentence with the citations it is the first
	// to use.
	emit func(text string, cites []Citation) error

	split  splitter
	raw    strings.Builder
	text   strings.Builder
	number map[int]int      // passage number → citation number
	order  []int            // passage numbers in citation order
	claims map[int][]string // passage number → the kept sentences citing it
	stats  Verification
	took   time.Duration // spent verifying
	// pending holds clauses ending in ；without markers of their own,
	// waiting for the markers of the rest of their sentence.
	pending []string
}

func newComposer(v *verifier, ps []retrieval.Passage, emit func(string, []Citation) error) *composer {
	return &composer{v: v, passages: ps, emit: emit, number: map[int]int{}, claims: map[int][]string{}}
}

// write adds a piece of the answerer's text.
func (c *composer) write(piece string) error {
	c.raw.WriteString(piece)
	for _, s := range c.split.feed(piece) {
		if err := c.sentence(s); err != nil {
			return err
		}
	}
	return nil
}

// close handles the text left after the last complete sentence.
func (c *composer) close() error {
	for _, s := range c.split.flush() {
		if err := c.sentence(s); err != nil {
			return err
		}
	}
	return c.release(nil)
}

// sentence takes one sentence or clause as the splitter cut it. A clause
// that ends in ；and cites nothing inherits the markers of the clause that
// completes its sentence ("……不打不相识；第二阶段是打打谈谈[1]。"), and is
// then checked and shown with them like any other.
func (c *composer) sentence(raw string) error {
	s := strings.TrimSpace(raw)
	if wordRunes(stripMarkers(s)) == 0 {
		return nil
	}
	cited := markersIn(s)
	if len(cited) == 0 && strings.ContainsRune("；;", analysis.LastNonCloser(s)) {
		c.pending = append(c.pending, raw)
		return nil
	}
	if err := c.release(cited); err != nil {
		return err
	}
	return c.add(raw)
}

// release adds the pending clauses with the markers cited.
func (c *composer) release(cited []int) error {
	pending := c.pending
	c.pending = nil
	for _, p := range pending {
		if len(cited) > 0 {
			lead := p[:len(p)-len(strings.TrimLeftFunc(p, unicode.IsSpace))]
			p = lead + placeMarkers(strings.TrimSpace(p), cited)
		}
		if err := c.add(p); err != nil {
			return err
		}
	}
	return nil
}

// add verifies one sentence and keeps it or drops it.
func (c *composer) add(raw string) error {
	start := time.Now()
	known := len(c.order)
	out, ok := c.verify(raw)
	c.took += time.Since(start)
	if !ok {
		return nil
	}
	if c.text.Len() > 0 {
		out = separator(c.text.String(), raw, out) + out
	}
	c.text.WriteString(out)
	if c.emit == nil {
		return nil
	}
	var first []Citation
	for i := known; i < len(c.order); i++ {
		first = append(first, c.citation(i))
	}
	return c.emit(out, first)
}

// verify checks one raw sentence and returns it with its markers
// renumbered, or false when it is dropped.
func (c *composer) verify(raw string) (string, bool) {
	s := strings.TrimSpace(raw)
	body := strings.TrimSpace(stripMarkers(s))
	if wordRunes(body) == 0 {
		return "", false
	}
	c.stats.Sentences++
	cited := markersIn(s)
	var valid []int
	for _, n := range cited {
		if n >= 1 && n <= len(c.passages) {
			valid = append(valid, n)
		}
	}
	vd := c.v.check(body, valid)
	if !vd.ok {
		c.stats.Dropped++
		w := Withheld{Text: body, Reason: vd.reason, Missing: vd.missing}
		for _, n := range valid {
			w.ChunkIDs = append(w.ChunkIDs, c.passages[n-1].ID)
		}
		c.stats.Withheld = append(c.stats.Withheld, w)
		return "", false
	}
	backs := map[int]bool{}
	for _, n := range vd.backing {
		backs[n] = true
		c.claims[n] = append(c.claims[n], body)
	}
	c.stats.Supported++
	c.stats.DroppedMarkers += len(cited) - len(vd.backing)
	return rewriteMarkers(s, func(n int) (int, bool) {
		if !backs[n] {
			return 0, false
		}
		if _, ok := c.number[n]; !ok {
			c.order = append(c.order, n)
			c.number[n] = len(c.order)
		}
		return c.number[n], true
	}), true
}

// separator is what goes between the text so far and the next kept
// sentence: a line break where the answerer broke the line, a space
// between Latin sentences, nothing between Chinese ones.
func separator(sofar, raw, next string) string {
	lead := raw[:len(raw)-len(strings.TrimLeftFunc(raw, unicode.IsSpace))]
	if strings.Contains(lead, "\n") {
		return "\n"
	}
	last, _ := utf8.DecodeLastRuneInString(sofar)
	first, _ := utf8.DecodeRuneInString(next)
	if last < utf8.RuneSelf && first < utf8.RuneSelf {
		return " "
	}
	return ""
}

// citations lists the passages the kept sentences cite, numbered as their
// markers are.
func (c *composer) citations() []Citation {
	out := make([]Citation, 0, len(c.order))
	for i := range c.order {
		out = append(out, c.citation(i))
	}
	return out
}

// citation is the i-th citation (from 0), with the evidence of the
// sentences kept so far.
func (c *composer) citation(i int) Citation {
	p := c.passages[c.order[i]-1]
	cit := Citation{
		N: i + 1, ChunkID: p.ID, DocID: p.DocID, Title: p.Title, Source: p.Source,
		Quote: p.Text, Start: p.Start, End: p.End, Score: p.Score, Supported: true,
		Evidence: evidenceSpans(p, c.claims[c.order[i]]),
		Page:     p.Page,
	}
	if len(cit.Evidence) > 0 {
		cit.Page = p.PageAt(cit.Evidence[0].Start)
	}
	return cit
}
