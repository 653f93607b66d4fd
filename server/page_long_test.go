package server

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/chromedp/chromedp"

	"wenda/answer"
	"wenda/corpus"
	"wenda/index"
	"wenda/internal/testindex"
)

// longLibrary is the real index with one more document: the embedded
// articles run together, all white space removed, repeated to 8 MiB, the
// shape of the 7.9 MiB one-run article that froze a browser tab for more
// than 148 s when the page put it into the reader whole.
type longLibrary struct {
	*testindex.Index
	doc corpus.Document
}

func (l *longLibrary) info() index.DocInfo {
	d := l.doc
	d.Text = ""
	return index.DocInfo{Document: d, Chars: utf8.RuneCountInString(l.doc.Text)}
}

func (l *longLibrary) Documents(ctx context.Context, coll string, p index.Page) (index.DocPage, error) {
	page, err := l.Index.Documents(ctx, coll, p)
	page.Documents = append(page.Documents, l.info())
	page.Total++
	return page, err
}

func (l *longLibrary) DocInfos(ctx context.Context, coll string, ids []string) (map[string]index.DocInfo, error) {
	out, err := l.Index.DocInfos(ctx, coll, ids)
	if slices.Contains(ids, l.doc.ID) && err == nil {
		out[l.doc.ID] = l.info()
	}
	return out, err
}

func (l *longLibrary) Document(ctx context.Context, coll, id string) (corpus.Document, error) {
	if id == l.doc.ID {
		return l.doc, nil
	}
	return l.Index.Document(ctx, coll, id)
}

func newLongLibrary(t *testing.T) *longLibrary {
	t.Helper()
	res, err := corpus.Load(corpus.Embedded(), corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var run strings.Builder
	for run.Len() < 8<<20 {
		for _, d := range res.Documents {
			run.WriteString(strings.Map(func(r rune) rune {
				if unicode.IsSpace(r) {
					return -1
				}
				return r
			}, d.Text))
		}
	}
	// It is paged as a PDF is: a page every 4,000 characters.
	doc := corpus.Document{ID: "one-run", Title: "一段到底的长文", Source: "测试", Script: "traditional", Format: corpus.FormatPlain, Text: run.String()}
	for n, at := 1, 0; at < utf8.RuneCountInString(doc.Text); n, at = n+1, at+4000 {
		doc.Pages = append(doc.Pages, corpus.Page{N: n, Start: at})
	}
	return &longLibrary{Index: realIndex(t), doc: doc}
}

// TestBrowserLongDocument opens a citation deep inside an 8 MiB document
// written as one run of text, and the document itself from the list. The
// reader shows the cited words highlighted at once while holding only a
// small window of the text, and adds text as the reader scrolls either way,
// keeping what is on screen in place.
func TestBrowserLongDocument(t *testing.T) {
	ctx := newBrowser(t)
	lib := newLongLibrary(t)
	doc := []rune(lib.doc.Text)
	start := len(doc) * 3 / 5
	end := start + 400
	cite := answer.Citation{N: 1, ChunkID: "one-run:5000", DocID: lib.doc.ID, Title: lib.doc.Title, Quote: string(doc[start:end]),
		Start: start, End: end, Score: 1, Supported: true, Evidence: []answer.Span{{Start: start + 100, End: start + 160}}, Page: start/4000 + 1}
	asker := &fakeAsker{stream: func(ctx context.Context, req answer.Request, emit func(answer.Event) error) (answer.Answer, error) {
		a := answer.Answer{Question: req.Question, Language: "zh-Hans", Text: "长文的这一段谈到了中美关系[1]。", Answerable: true,
			Answerer: "extractive", Citations: []answer.Citation{cite}}
		for _, ev := range []answer.Event{
			{Type: answer.EventRetrieval, Language: "zh-Hans"},
			{Type: answer.EventDelta, Delta: a.Text, Citations: a.Citations},
			{Type: answer.EventCitations, Citations: a.Citations},
			{Type: answer.EventDone, Answer: &a},
		} {
			if err := emit(ev); err != nil {
				return answer.Answer{}, err
			}
		}
		return a, nil
	}}
	p := servePage(t, asker, lib)
	browse(t, ctx, chromedp.Navigate(p.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`#documents [data-doc="one-run"]`)))
	askInPage(t, ctx, "长文谈了什么？")

	// A citation of a paged document names its page, in the source card,
	// the preview and the reader.
	page := fmt.Sprintf("第 %d 页", cite.Page)
	if card := read(t, ctx, chromedp.TextContent(chromedp.CSS(lastTurn+" .citations .source-meta"))); !strings.Contains(card, page) {
		t.Errorf("the source card says %q, want %q", card, page)
	}
	hover(t, ctx, lastTurn+` .answer button.cite[data-n="1"]`)
	poll(t, ctx, `document.getElementById("preview").textContent.includes("`+page+`")`, "the page in the preview")
	click(t, ctx, lastTurn+` .answer button.cite[data-n="1"]`)
	browse(t, ctx, chromedp.WaitVisible(chromedp.CSS("#reader mark#highlight")))
	if bar := read(t, ctx, chromedp.TextContent(chromedp.ID("reader-cite"))); !strings.Contains(bar, page) {
		t.Errorf("the citation bar says %q, want %q", bar, page)
	}
	// The text shows where each page begins, as labels that are not part
	// of the document's text.
	labels := read(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#reader-text .page-start"), (p) => p.dataset.label)`))
	if len(labels) < 3 || !slices.Contains(labels, page) {
		t.Errorf("page labels %q around the citation on %s", labels, page)
	}
	poll(t, ctx, `(() => {
		const m = document.querySelector("#reader-text mark.evidence");
		const r = m.getBoundingClientRect(), box = document.getElementById("reader-text").getBoundingClientRect();
		return r.top >= box.top && r.bottom <= box.bottom; })()`, "the evidence in view")
	shoot(t, ctx, "long-document")
	highlight := read(t, ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("#reader-text mark.quote"), (m) => m.textContent).join("")`))
	if highlight != cite.Quote {
		t.Fatalf("highlighted %d characters, want the %d of the quote", len([]rune(highlight)), len([]rune(cite.Quote)))
	}
	if ev := read(t, ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("#reader-text mark.evidence"), (m) => m.textContent).join("")`)); ev != string(doc[start+100:start+160]) {
		t.Errorf("evidence marked %q", ev)
	}
	// window reports what the reader holds: where its text starts in the
	// document and the text itself.
	type window struct {
		Start int    `json:"start"`
		Text  string `json:"text"`
	}
	shown := func() window {
		return read(t, ctx, chromedp.Evaluate[window](`({start: +document.querySelector("#reader-text .blk").dataset.start,
			text: document.getElementById("reader-text").textContent})`))
	}
	check := func(when string, w window) int {
		t.Helper()
		n := len([]rune(w.Text))
		if w.Start < 0 || w.Start+n > len(doc) || string(doc[w.Start:w.Start+n]) != w.Text {
			t.Fatalf("%s: the reader's text is not the document's from offset %d", when, w.Start)
		}
		if n > len(doc)/50 {
			t.Errorf("%s: the reader holds %d of the document's %d characters", when, n, len(doc))
		}
		return n
	}
	first := shown()
	n0 := check("opened at the citation", first)
	if first.Start > start || first.Start+n0 < end {
		t.Errorf("the window [%d, %d) does not hold the quote [%d, %d)", first.Start, first.Start+n0, start, end)
	}
	t.Logf("the reader holds %d of %d characters around the citation", n0, len(doc))

	// Scrolling down adds the text that follows.
	for range 3 {
		js(t, ctx, `const b = document.getElementById("reader-text"); b.scrollTop = b.scrollHeight`)
		browse(t, ctx, chromedp.Sleep(150e6))
	}
	down := shown()
	if n := check("after scrolling down", down); n <= n0 || down.Start != first.Start {
		t.Errorf("scrolling down: %d characters from %d, before %d from %d", n, down.Start, n0, first.Start)
	}
	// Scrolling up adds the text before, and what was on screen stays put:
	// the block that began the window keeps its place in the view.
	blockTop := fmt.Sprintf(`document.querySelector('#reader-text .blk[data-start="%d"]').getBoundingClientRect().top`, first.Start)
	js(t, ctx, `document.getElementById("reader-text").scrollTop = 200`)
	browse(t, ctx, chromedp.Sleep(50e6))
	before := read(t, ctx, chromedp.Evaluate[float64](blockTop))
	poll(t, ctx, fmt.Sprintf(`+document.querySelector("#reader-text .blk").dataset.start < %d`, first.Start), "earlier text to be added")
	browse(t, ctx, chromedp.Sleep(50e6))
	after := read(t, ctx, chromedp.Evaluate[float64](blockTop))
	up := shown()
	check("after scrolling up", up)
	if d := after - before; d < -2 || d > 2 {
		t.Errorf("adding the text before moved the view by %.0f px", d)
	}

	// Opened from the list, the document starts at its beginning.
	click(t, ctx, "#reader-close")
	click(t, ctx, `#documents [data-doc="one-run"]`)
	poll(t, ctx, `document.querySelector("#reader-text .blk") && document.querySelector("#reader-text .blk").dataset.start === "0"`, "the document's start")
	if w := shown(); check("opened from the list", w) == 0 || w.Start != 0 {
		t.Errorf("opened from the list at offset %d", w.Start)
	}
}
