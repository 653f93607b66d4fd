package server

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/http/httptest"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"wenda/answer"
	"wenda/corpus"
	"wenda/retrieval"
)

var screenshots = flag.String("screenshots", "", "write screenshots of the page at desktop and phone width to this folder")

// newBrowser starts a headless Chromium for one test, or skips the test
// when none is installed. The returned context bounds the test's actions.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	var path string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Skip("browser test skipped: no chromium, chromium-browser or google-chrome on PATH (apt-get install chromium)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	for _, f := range []string{"headless", "no-sandbox", "disable-gpu", "disable-quic", "no-first-run",
		"disable-background-networking", "disable-component-update", "disable-sync"} {
		opts = append(opts, chromedp.Flag(f, true))
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	// The first call starts the browser and must not carry a deadline,
	// which would end the browser with it.
	if err := chromedp.Do(bctx); err != nil {
		cancelBrowser()
		cancelAlloc()
		t.Fatalf("start %s: %v", path, err)
	}
	ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
	t.Cleanup(func() {
		cancel()
		cancelBrowser()
		cancelAlloc()
	})
	return ctx
}

// read runs one browser action and returns its value, failing the test on
// error.
func read[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// browse runs browser actions in order, failing the test on error.
func browse(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// serveIndex serves ix with the real offline answerer.
func serveIndex(t *testing.T, ix *retrieval.Index) (*answer.Service, string) {
	t.Helper()
	svc := answer.NewService(ix, answer.Options{})
	s := New(Options{Logger: slog.New(slog.DiscardHandler)})
	s.Ready(Backend{Asker: svc, Searcher: ix, Library: ix})
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	return svc, hs.URL
}

// TestBrowserAskAndOpenCitation asks a real question in the page, waits
// for the streamed answer, opens its first citation and checks that the
// highlighted words are the cited quote, inside the article.
func TestBrowserAskAndOpenCitation(t *testing.T) {
	ctx := newBrowser(t)
	ix := realIndex(t)
	svc, url := serveIndex(t, ix)
	const question = "马德里会谈之后，中美关系会如何发展？"
	want, err := svc.Ask(context.Background(), answer.Request{Question: question})
	if err != nil || !want.Answerable || len(want.Citations) == 0 {
		t.Fatalf("the answerer gives no cited answer to %q: %+v, %v", question, want, err)
	}

	browse(t, ctx,
		chromedp.Navigate(url+"/"),
		chromedp.WaitVisible(chromedp.CSS("#documents li")),
		chromedp.SetValue(chromedp.ID("question"), question),
		chromedp.Click(chromedp.ID("ask-button")),
		chromedp.WaitVisible(chromedp.CSS("#answer button.cite:not([disabled])")),
	)
	read(t, ctx, chromedp.Poll[bool](`document.getElementById("status").textContent.includes("ms")`))
	shoot(t, ctx, "answer")
	if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#documents li").length`)); n != len(ix.Documents()) {
		t.Errorf("the page lists %d articles, want %d", n, len(ix.Documents()))
	}
	// The page shows the markers as numbered buttons, without brackets.
	shown := read(t, ctx, chromedp.Text(chromedp.ID("answer")))
	if strip := strings.NewReplacer("[", "", "]", "").Replace(want.Text); norm(shown) != norm(strip) {
		t.Errorf("the page shows\n%q\nthe answerer wrote\n%q", shown, strip)
	}
	if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#citations li").length`)); n != len(want.Citations) {
		t.Errorf("the page lists %d sources, the answer has %d", n, len(want.Citations))
	}

	first := want.Citations[0]
	browse(t, ctx,
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#answer button.cite[data-n="%d"]`, first.N))),
		chromedp.WaitVisible(chromedp.CSS("#reader mark#highlight")),
	)
	inView := read(t, ctx, chromedp.Poll[bool](`(() => {
		const m = document.querySelector("#highlight mark.evidence") || document.getElementById("highlight");
		const r = m.getBoundingClientRect();
		const box = document.getElementById("reader-text").getBoundingClientRect();
		return r.top >= box.top - 1 && r.top < box.bottom; })()`, chromedp.WithPollingTimeout(5*time.Second)))
	shootView(t, ctx, "citation")
	highlight := read(t, ctx, chromedp.TextContent(chromedp.ID("highlight")))
	evidence := read(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#highlight mark.evidence"), (m) => m.textContent)`))
	title := read(t, ctx, chromedp.TextContent(chromedp.ID("reader-title")))
	article := read(t, ctx, chromedp.TextContent(chromedp.ID("reader-text")))

	doc, _ := ix.Document(first.DocID)
	if title != doc.Title {
		t.Errorf("the reader shows %q, want the cited article %q", title, doc.Title)
	}
	if highlight != first.Quote {
		t.Errorf("highlighted %q\nwant the quote %q", highlight, first.Quote)
	}
	if runes := string([]rune(doc.Text)[first.Start:first.End]); highlight != runes {
		t.Errorf("highlighted %q\nwant the article's runes [%d,%d) %q", highlight, first.Start, first.End, runes)
	}
	var wantEvidence []string
	for _, e := range first.Evidence {
		wantEvidence = append(wantEvidence, string([]rune(doc.Text)[e.Start:e.End]))
	}
	if len(wantEvidence) == 0 || strings.Join(evidence, "|") != strings.Join(wantEvidence, "|") {
		t.Errorf("marked as evidence %q\nwant the citation's evidence sentences %q", evidence, wantEvidence)
	}
	if article != doc.Text {
		t.Error("the reader does not show the article text as it is")
	}
	if !inView {
		t.Error("the highlighted quote was not scrolled into view")
	}

	if *screenshots != "" {
		// The same answer on a phone: the page, then the citation, which
		// fills the screen there.
		browse(t, ctx,
			chromedp.Click(chromedp.ID("reader-close")),
			chromedp.WaitNotVisible(chromedp.ID("reader")),
			chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
			chromedp.Sleep(200*time.Millisecond),
		)
		shoot(t, ctx, "phone-answer")
		browse(t, ctx,
			chromedp.Click(chromedp.CSS(fmt.Sprintf(`#answer button.cite[data-n="%d"]`, first.N))),
			chromedp.WaitVisible(chromedp.CSS("#reader mark#highlight")),
			chromedp.Sleep(200*time.Millisecond),
		)
		shootView(t, ctx, "phone-citation")
	}
}

// TestBrowserRefusal checks that an answer the articles cannot give is
// marked as such on the page.
func TestBrowserRefusal(t *testing.T) {
	ctx := newBrowser(t)
	_, url := serveIndex(t, realIndex(t))
	browse(t, ctx,
		chromedp.Navigate(url+"/?q="+neturl.QueryEscape("2018年世界杯冠军是哪支球队？")),
		chromedp.WaitVisible(chromedp.CSS("#notice.refusal")),
	)
	shoot(t, ctx, "refusal")
	if notice := read(t, ctx, chromedp.TextContent(chromedp.ID("notice"))); !strings.Contains(notice, "找不到答案") {
		t.Errorf("refusal notice %q", notice)
	}
}

// TestBrowserShowsMarkupAsText serves an article whose title and text carry
// HTML and checks that the page shows it as text in every place it
// appears: the article list, the answer, the sources and the reader.
func TestBrowserShowsMarkupAsText(t *testing.T) {
	ctx := newBrowser(t)
	const payload = `<img src=x onerror="document.title='pwned'">`
	docs := []corpus.Document{{
		ID:     "markup",
		Title:  "中美关系评论" + payload,
		Source: "测试来源<b>粗体</b>",
		Script: "simplified",
		Format: corpus.FormatPlain,
		Hash:   "markup",
		Text: "中美关系在釜山会晤之后进入有限缓和阶段" + payload + "，双方同意继续就关税问题保持沟通。\n\n" +
			"学者认为中美关系的稳定取决于元首外交" + payload + "与经贸磋商的持续推进。",
	}}
	emb, err := retrieval.NewHashEmbedder(512)
	if err != nil {
		t.Fatal(err)
	}
	ix, _, err := retrieval.Ingest(context.Background(), docs, retrieval.Options{Dir: t.TempDir(), Embedder: emb}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	_, url := serveIndex(t, ix)

	browse(t, ctx,
		chromedp.Navigate(url+"/"),
		chromedp.WaitVisible(chromedp.CSS("#documents li")),
		chromedp.SetValue(chromedp.ID("question"), "中美关系在釜山会晤之后进入了什么阶段？"),
		chromedp.Click(chromedp.ID("ask-button")),
		chromedp.WaitVisible(chromedp.CSS("#answer button.cite:not([disabled])")),
		chromedp.Click(chromedp.CSS("#citations .source")),
		chromedp.WaitVisible(chromedp.CSS("#reader mark#highlight")),
	)
	shoot(t, ctx, "markup")
	if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("img, b").length`)); n != 0 {
		t.Errorf("the page made %d elements out of article text", n)
	}
	if title := read(t, ctx, chromedp.Title()); title == "pwned" {
		t.Error("a script from the article ran")
	}
	for _, id := range []string{"documents", "answer", "citations", "reader-text", "reader-title"} {
		if got := read(t, ctx, chromedp.TextContent(chromedp.ID(id))); !strings.Contains(got, "<img src=x") {
			t.Errorf("#%s does not show the markup as text: %q", id, got)
		}
	}
}

// shoot saves a full-page screenshot when -screenshots is set.
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if *screenshots != "" {
		save(t, name, read(t, ctx, chromedp.FullScreenshot(100)))
	}
}

// shootView saves what the viewport shows, for a dialog over the page.
func shootView(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if *screenshots != "" {
		save(t, name, read(t, ctx, chromedp.CaptureScreenshot()))
	}
}

func save(t *testing.T, name string, png []byte) {
	t.Helper()
	path := filepath.Join(*screenshots, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// norm drops whitespace differences that layout may introduce in text read
// back from the page.
func norm(s string) string { return strings.Join(strings.Fields(s), "") }
