package server

import (
	"context"
	"fmt"
	neturl "net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"wenda/answer"
	"wenda/corpus"
	"wenda/endpoint"
	"wenda/hanzi"
	"wenda/index"
	"wenda/internal/browsertest"
	"wenda/internal/testindex"
)

// evidenceTexts are the document's words at a citation's evidence spans.
func evidenceTexts(t *testing.T, lib Library, c answer.Citation) []string {
	t.Helper()
	doc, err := lib.Document(context.Background(), index.DefaultCollection, c.DocID)
	if err != nil {
		t.Fatalf("no document %s: %v", c.DocID, err)
	}
	rs := []rune(doc.Text)
	var out []string
	for _, e := range c.Evidence {
		out = append(out, string(rs[e.Start:e.End]))
	}
	return out
}

// TestBrowserAskAndOpenCitation asks a real question in the page, waits
// for the streamed answer, checks that each source card shows the sentence
// cited, opens the first citation and checks that the highlighted words are
// the cited quote, inside the article, with the evidence marked.
func TestBrowserAskAndOpenCitation(t *testing.T) {
	ctx := newBrowser(t)
	ix := realIndex(t)
	svc := answer.NewService(ix, answer.Options{})
	p := servePage(t, svc, ix)
	const question = "马德里会谈之后，中美关系会如何发展？"
	want, err := svc.Ask(context.Background(), answer.Request{Question: question})
	if err != nil || !want.Answerable || len(want.Citations) == 0 {
		t.Fatalf("the answerer gives no cited answer to %q: %+v, %v", question, want, err)
	}

	browse(t, ctx, chromedp.Navigate(p.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#documents li")))
	askInPage(t, ctx, question)
	shoot(t, ctx, "answer")
	// A screen reader hears that the answer is ready, and its start.
	poll(t, ctx, `document.getElementById("announcer").textContent.startsWith("回答完成：")`, "the answer to be announced")
	if live := read(t, ctx, chromedp.Evaluate[string](`document.getElementById("announcer").getAttribute("aria-live")`)); live != "polite" {
		t.Errorf("announcer aria-live %q", live)
	}
	if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#documents li").length`)); n != len(ix.Docs()) {
		t.Errorf("the page lists %d articles, want %d", n, len(ix.Docs()))
	}
	// The page shows the markers as numbered buttons, without brackets.
	shown := read(t, ctx, chromedp.Text(chromedp.CSS(lastTurn+" .answer")))
	if strip := strings.NewReplacer("[", "", "]", "").Replace(want.Text); norm(shown) != norm(strip) {
		t.Errorf("the page shows\n%q\nthe answerer wrote\n%q", shown, strip)
	}
	cards := read(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("`+lastTurn+` .citations .source-quote mark.evidence"), (m) => m.textContent)`))
	var wantCards []string
	for _, c := range want.Citations {
		wantCards = append(wantCards, evidenceTexts(t, ix, c)...)
	}
	if strings.Join(cards, "|") != strings.Join(wantCards, "|") {
		t.Errorf("the source cards show %q\nwant the cited sentences %q", cards, wantCards)
	}

	first := want.Citations[0]
	click(t, ctx, fmt.Sprintf(`%s .answer button.cite[data-n="%d"]`, lastTurn, first.N))
	browse(t, ctx, chromedp.WaitVisible(chromedp.CSS("#reader mark#highlight")))
	poll(t, ctx, `(() => {
		const m = document.querySelector("#reader-text mark.evidence") || document.getElementById("highlight");
		const r = m.getBoundingClientRect();
		const box = document.getElementById("reader-text").getBoundingClientRect();
		return r.top >= box.top - 1 && r.bottom <= box.bottom + 1; })()`, "the evidence scrolled into view")
	shoot(t, ctx, "citation")
	highlight := read(t, ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("#reader-text mark.quote"), (m) => m.textContent).join("")`))
	evidence := read(t, ctx, chromedp.Evaluate[[]string](`(() => {
		const out = [];
		for (const m of document.querySelectorAll("#reader-text mark.evidence")) out[+m.dataset.ev] = (out[+m.dataset.ev] || "") + m.textContent;
		return out; })()`))
	title := read(t, ctx, chromedp.TextContent(chromedp.ID("reader-title")))
	article := read(t, ctx, chromedp.TextContent(chromedp.ID("reader-text")))
	cite := read(t, ctx, chromedp.TextContent(chromedp.ID("reader-cite")))

	doc, _ := ix.Doc(first.DocID)
	if title != doc.Title {
		t.Errorf("the reader shows %q, want the cited article %q", title, doc.Title)
	}
	if highlight != first.Quote {
		t.Errorf("highlighted %q\nwant the quote %q", highlight, first.Quote)
	}
	if runes := string([]rune(doc.Text)[first.Start:first.End]); highlight != runes {
		t.Errorf("highlighted %q\nwant the article's runes [%d,%d) %q", highlight, first.Start, first.End, runes)
	}
	if wantEv := evidenceTexts(t, ix, first); len(wantEv) == 0 || strings.Join(evidence, "|") != strings.Join(wantEv, "|") {
		t.Errorf("marked as evidence %q\nwant the citation's evidence sentences %q", evidence, wantEv)
	}
	if article != doc.Text {
		t.Error("the reader does not show the article text as it is")
	}
	if !strings.Contains(cite, fmt.Sprintf("[%d]", first.N)) {
		t.Errorf("the citation bar says %q", cite)
	}

	if browsertest.Screenshots() {
		// The same answer on a phone: the page, then the citation, which
		// fills the screen there.
		click(t, ctx, "#reader-close")
		browse(t, ctx,
			chromedp.WaitNotVisible(chromedp.ID("reader")),
			chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
			chromedp.Sleep(200*time.Millisecond),
		)
		shoot(t, ctx, "phone-answer")
		click(t, ctx, fmt.Sprintf(`%s .answer button.cite[data-n="%d"]`, lastTurn, first.N))
		browse(t, ctx,
			chromedp.WaitVisible(chromedp.CSS("#reader mark#highlight")),
			chromedp.Sleep(300*time.Millisecond),
		)
		shoot(t, ctx, "phone-citation")
	}
}

// TestBrowserConversation holds a three-turn conversation with follow-ups,
// checks that each follow-up went to the server with the questions before
// it, that the conversation survives a reload, that a new conversation
// starts empty, and that an answer's share link asks it again in context.
func TestBrowserConversation(t *testing.T) {
	ctx := newBrowser(t)
	ix := realIndex(t)
	p := servePage(t, answer.NewService(ix, answer.Options{}), ix)
	questions := []string{"马德里会谈之后，中美关系会如何发展？", "那关税问题呢？", "美方同意暂停实施50%穿透性规则多长时间？"}

	browse(t, ctx, chromedp.Navigate(p.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#documents li")))
	for _, q := range questions {
		askInPage(t, ctx, q)
	}
	shoot(t, ctx, "conversation")
	reqs := p.Asks.requests()
	if len(reqs) != 3 {
		t.Fatalf("the server got %d questions, want 3", len(reqs))
	}
	for i, r := range reqs {
		if r.Question != questions[i] || strings.Join(r.History, "|") != strings.Join(questions[:i], "|") {
			t.Errorf("turn %d asked %q with history %q, want %q with %q", i+1, r.Question, r.History, questions[i], questions[:i])
		}
	}
	turns := func() []string {
		return read(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#thread .turn .q"), (q) => q.textContent)`))
	}
	answers := func() []string {
		return read(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#thread .turn"), (t) => t.querySelector(".answer").textContent)`))
	}
	if got := turns(); strings.Join(got, "|") != strings.Join(questions, "|") {
		t.Fatalf("the thread shows %q", got)
	}
	before := answers()
	for i, a := range before {
		if strings.TrimSpace(a) == "" {
			t.Errorf("turn %d has no answer", i+1)
		}
	}

	// The conversation is kept in the browser: after a reload it is in the
	// list and opens with its three answers.
	browse(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#conv-list .conv")))
	if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#thread .turn").length`)); n != 0 {
		t.Errorf("a reloaded page shows %d turns before a conversation is opened", n)
	}
	if title := read(t, ctx, chromedp.TextContent(chromedp.CSS("#conv-list .conv-title"))); title != questions[0] {
		t.Errorf("the conversation is listed as %q", title)
	}
	click(t, ctx, "#conv-list .conv")
	browse(t, ctx, chromedp.WaitVisible(chromedp.CSS("#thread .turn")))
	if got := turns(); strings.Join(got, "|") != strings.Join(questions, "|") {
		t.Errorf("the reopened conversation shows %q", got)
	}
	if got := answers(); strings.Join(got, "|") != strings.Join(before, "|") {
		t.Errorf("the reopened answers differ:\n%q\n%q", got, before)
	}

	// A follow-up to the reopened conversation carries its history.
	askInPage(t, ctx, "中方呢？")
	if r := p.Asks.requests()[3]; len(r.History) != 3 || r.History[2] != questions[2] {
		t.Errorf("a follow-up to the reopened conversation sent history %q", r.History)
	}

	// The share link of the second answer asks it again with the first
	// question as its context, in a new conversation.
	link := read(t, ctx, chromedp.Evaluate[string](`document.querySelectorAll("#thread .turn")[1].querySelector("a.share").href`))
	u, err := neturl.Parse(link)
	if err != nil || u.Query().Get("q") != questions[1] || strings.Join(u.Query()["h"], "|") != questions[0] {
		t.Fatalf("share link %q", link)
	}
	browse(t, ctx, chromedp.Navigate(link))
	poll(t, ctx, `document.querySelectorAll("#thread .turn").length === 1 && document.querySelector("#thread .turn").getAttribute("aria-busy") === "false"`, "the shared question")
	if r := p.Asks.requests()[4]; r.Question != questions[1] || strings.Join(r.History, "|") != questions[0] {
		t.Errorf("the share link asked %q with history %q", r.Question, r.History)
	}
	if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#conv-list .conv").length`)); n != 2 {
		t.Errorf("%d conversations listed after opening a share link, want 2", n)
	}

	// A new conversation starts empty, and its first question has no history.
	click(t, ctx, "#new-conv")
	if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#thread .turn").length`)); n != 0 {
		t.Errorf("a new conversation shows %d turns", n)
	}
	askInPage(t, ctx, questions[2])
	if r := p.Asks.requests()[5]; len(r.History) != 0 {
		t.Errorf("the first question of a new conversation sent history %q", r.History)
	}
}

// TestBrowserCitationPreview hovers and focuses a [n] and checks that the
// preview shows the cited sentence with the evidence marked, and that
// Escape dismisses it.
func TestBrowserCitationPreview(t *testing.T) {
	ctx, _, ix, want := askedInPage(t, "美方同意暂停实施50%穿透性规则多长时间？")
	if len(want.Citations) == 0 {
		t.Fatalf("no cited answer: %s", want.Text)
	}

	wantEv := evidenceTexts(t, ix, want.Citations[0])
	cite := lastTurn + ` .answer button.cite[data-n="1"]`
	hover(t, ctx, cite)
	poll(t, ctx, `!document.getElementById("preview").hidden`, "the preview on hover")
	shoot(t, ctx, "preview")
	marked := read(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#preview mark.evidence"), (m) => m.textContent)`))
	if strings.Join(marked, "|") != strings.Join(wantEv, "|") {
		t.Errorf("the preview marks %q, want the cited sentences %q", marked, wantEv)
	}
	if title := read(t, ctx, chromedp.TextContent(chromedp.CSS("#preview .source-title"))); title != want.Citations[0].Title {
		t.Errorf("the preview names %q", title)
	}
	// The mouse leaves: the preview goes.
	browse(t, ctx, chromedp.MouseEvent("mouseMoved", 5, 5))
	poll(t, ctx, `document.getElementById("preview").hidden`, "the preview to close when the mouse leaves")

	// From the keyboard: focus shows it, described by it; Escape hides it.
	browse(t, ctx, chromedp.Focus(chromedp.CSS(cite)))
	poll(t, ctx, `!document.getElementById("preview").hidden && document.querySelector(`+"`"+cite+"`"+`).getAttribute("aria-describedby") === "preview"`, "the preview on focus")
	browse(t, ctx, chromedp.KeyEvent("\x1b"))
	poll(t, ctx, `document.getElementById("preview").hidden`, "Escape to close the preview")
	// Enter on the focused marker opens the citation.
	browse(t, ctx, chromedp.Focus(chromedp.CSS(cite)), chromedp.KeyEvent("\r"), chromedp.WaitVisible(chromedp.CSS("#reader mark#highlight")))
}

// TestBrowserRefusalInEachScript asks questions the articles cannot answer,
// in Simplified, Traditional and English, and checks that the page says so
// once, in plain words in the question's script, with the figures behind
// the details toggle.
func TestBrowserRefusalInEachScript(t *testing.T) {
	ctx := newBrowser(t)
	ix := realIndex(t)
	svc := answer.NewService(ix, answer.Options{})
	p := servePage(t, svc, ix)
	browse(t, ctx, chromedp.Navigate(p.URL+"/"))
	for _, tt := range []struct {
		question, lang, status string
		script                 hanzi.Script
	}{
		{"2018年世界杯冠军是哪支球队？", "zh-Hans", "摘录式回答", hanzi.Simplified},
		{"中美在北極航道開發上達成了什麼合作計劃？", "zh-Hant", "摘錄式回答", hanzi.Traditional},
		{"Which team won the 2018 football World Cup?", "en", "Quoted from the documents", ""},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			// Each in a conversation of its own, so that it is not
			// taken as a follow-up.
			click(t, ctx, "#new-conv")
			want, err := svc.Ask(context.Background(), answer.Request{Question: tt.question})
			if err != nil || want.Answerable || want.ReasonCode == "" {
				t.Fatalf("%q is not refused with a reason code: %+v %v", tt.question, want, err)
			}
			askInPage(t, ctx, tt.question)
			shoot(t, ctx, "refusal-"+tt.lang)
			turn := read(t, ctx, chromedp.Evaluate[string](`document.querySelector("`+lastTurn+`").innerText`))
			said := read(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("`+lastTurn+` .refusal-text"), (p) => p.textContent)`))
			if len(said) != 1 || said[0] == "" {
				t.Fatalf("refusal said %d times: %q", len(said), said)
			}
			poll(t, ctx, `document.getElementById("announcer").textContent === `+"`"+said[0]+"`", "the refusal to be announced")
			if strings.Contains(turn, want.Text) {
				t.Errorf("the server's refusal sentence %q is shown besides the plain one %q", want.Text, said[0])
			}
			if strings.ContainsAny(said[0], "0123456789") && want.ReasonCode != "missing_terms" {
				t.Errorf("the refusal %q shows figures", said[0])
			}
			if tt.script != "" && hanzi.Detect(said[0]) != tt.script {
				t.Errorf("the refusal %q is not in %s script", said[0], tt.script)
			}
			if tt.lang == "en" && strings.IndexFunc(said[0], func(r rune) bool { return r > 0x2000 && r != '“' && r != '”' }) >= 0 {
				t.Errorf("the English refusal %q holds Chinese", said[0])
			}
			if lang := read(t, ctx, chromedp.Evaluate[string](`document.querySelector("`+lastTurn+`").lang`)); lang != tt.lang {
				t.Errorf("the turn is marked lang=%q, want %q", lang, tt.lang)
			}
			if status := read(t, ctx, chromedp.TextContent(chromedp.CSS(lastTurn+" .status"))); !strings.Contains(status, tt.status) {
				t.Errorf("status %q, want it in the question's script (%q)", status, tt.status)
			}
			// The figures are behind the toggle.
			if visible := read(t, ctx, chromedp.Evaluate[bool](`document.querySelector("`+lastTurn+` .refusal details").open`)); visible {
				t.Error("the details are open before the reader asks")
			}
			js(t, ctx, `document.querySelector("`+lastTurn+` .refusal details summary").click()`)
			details := read(t, ctx, chromedp.Evaluate[string](`document.querySelector("`+lastTurn+` .refusal details").innerText`))
			if !strings.Contains(details, want.Reason) {
				t.Errorf("details %q lack the server's reason %q", details, want.Reason)
			}
		})
	}
	// The page's own labels follow the last question's script.
	if b := read(t, ctx, chromedp.TextContent(chromedp.ID("new-conv"))); b != "New conversation" {
		t.Errorf("after an English question the button says %q", b)
	}
	if lang := read(t, ctx, chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "en" {
		t.Errorf("html lang %q after an English question", lang)
	}
}

// TestBrowserShowsMarkupAsText serves an article whose title and text carry
// HTML and checks that the page shows it as text in every place it
// appears: the article list, the answer, the sources, the preview and the
// reader.
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
	ix, err := testindex.Build(context.Background(), t.TempDir(), 512, docs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	p := servePage(t, answer.NewService(ix, answer.Options{}), ix)

	browse(t, ctx, chromedp.Navigate(p.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#documents li")))
	askInPage(t, ctx, "中美关系在釜山会晤之后进入了什么阶段？")
	hover(t, ctx, lastTurn+" .answer button.cite")
	poll(t, ctx, `!document.getElementById("preview").hidden`, "the preview")
	preview := read(t, ctx, chromedp.TextContent(chromedp.ID("preview")))
	click(t, ctx, lastTurn+" .citations .source")
	browse(t, ctx, chromedp.WaitVisible(chromedp.CSS("#reader mark#highlight")))
	shoot(t, ctx, "markup")
	if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("img, b").length`)); n != 0 {
		t.Errorf("the page made %d elements out of article text", n)
	}
	if title := read(t, ctx, chromedp.Title()); title == "pwned" {
		t.Error("a script from the article ran")
	}
	if !strings.Contains(preview, "<img src=x") {
		t.Errorf("the preview does not show the markup as text: %q", preview)
	}
	for _, sel := range []string{"#documents", lastTurn + " .answer", lastTurn + " .citations", "#reader-text", "#reader-title"} {
		if got := read(t, ctx, chromedp.TextContent(chromedp.CSS(sel))); !strings.Contains(got, "<img src=x") {
			t.Errorf("%s does not show the markup as text: %q", sel, got)
		}
	}
}

// TestBrowserFeedback gives an answer a thumbs-down with a note and reads
// the entry back from the server's feedback file; the page remembers the
// rating after a reload.
func TestBrowserFeedback(t *testing.T) {
	const question = "美方同意暂停实施50%穿透性规则多长时间？"
	ctx, p, ix, want := askedInPage(t, question)
	if len(want.Citations) == 0 {
		t.Fatalf("no cited answer: %s", want.Text)
	}
	click(t, ctx, lastTurn+` .thumb[data-rating="down"]`)
	browse(t, ctx, chromedp.WaitVisible(chromedp.CSS(lastTurn+" .feedback textarea")),
		chromedp.SendKeys(chromedp.CSS(lastTurn+" .feedback textarea"), "时间说得对，但应注明是出口管制规则"))
	shoot(t, ctx, "feedback")
	click(t, ctx, lastTurn+` .feedback button[type="submit"]`)
	poll(t, ctx, `document.querySelector("`+lastTurn+` .thanks").textContent === "谢谢，反馈已保存。"`, "the thanks")

	entries, err := p.Feedback.List()
	if err != nil || len(entries) != 1 {
		t.Fatalf("%d entries stored: %v", len(entries), err)
	}
	e := entries[0]
	if e.Rating != "down" || e.Note != "时间说得对，但应注明是出口管制规则" || e.Question != question || e.Answer != want.Text ||
		!e.Answerable || e.Language != "zh-Hans" || e.Answerer != "extractive" {
		t.Errorf("stored %+v", e)
	}
	if len(e.Citations) != len(want.Citations) || len(e.Citations[0].Evidence) == 0 ||
		e.Citations[0].Evidence[0].Text != evidenceTexts(t, ix, want.Citations[0])[0] {
		t.Errorf("stored citations %+v", e.Citations)
	}

	browse(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#conv-list .conv")))
	click(t, ctx, "#conv-list .conv")
	poll(t, ctx, `document.querySelector("`+lastTurn+` .thumb[data-rating='down']").getAttribute("aria-pressed") === "true" &&
		document.querySelector("`+lastTurn+` .thumb[data-rating='up']").getAttribute("aria-pressed") === "false"`, "the rating to be remembered")
}

// TestBrowserErrorsInReadersWords has the answerer fail before and during
// a stream, and checks that the page words each failure from its error
// code in the question's script, never in the server's English, and keeps
// the sentences delivered before a failure with their citations.
func TestBrowserErrorsInReadersWords(t *testing.T) {
	ctx := newBrowser(t)
	ix := realIndex(t)
	down := &endpoint.Error{Op: "chat", Kind: endpoint.ErrUnavailable, Status: 502}
	cite := answer.Citation{N: 1, ChunkID: "madrid-talks-interview:1", DocID: "madrid-talks-interview", Title: "觀察者網專訪吳心伯",
		Quote: "9月以來，中美高層開啟了一輪密集互動。", Start: 0, End: 19, Supported: true}
	asker := &fakeAsker{stream: func(ctx context.Context, req answer.Request, emit func(answer.Event) error) (answer.Answer, error) {
		if strings.HasPrefix(req.Question, "之前") {
			return answer.Answer{}, down
		}
		emit(answer.Event{Type: answer.EventRetrieval, Language: "zh-Hant"})
		emit(answer.Event{Type: answer.EventDelta, Delta: "9月以來，中美高層開啟了一輪密集互動[1]。", Citations: []answer.Citation{cite}})
		emit(answer.Event{Type: answer.EventCitations, Citations: []answer.Citation{cite}})
		return answer.Answer{}, down
	}}
	p := servePage(t, asker, ix)
	browse(t, ctx, chromedp.Navigate(p.URL+"/"))

	askInPage(t, ctx, "之前的会谈谈了什么？")
	msg := read(t, ctx, chromedp.TextContent(chromedp.CSS(lastTurn+" .note.error")))
	if !strings.Contains(msg, "语言模型服务暂时无法连接或负载过高") || strings.Contains(msg, "language model") {
		t.Errorf("a failure before the answer reads %q", msg)
	}

	click(t, ctx, "#new-conv")
	askInPage(t, ctx, "會談後中美關係如何發展？")
	shoot(t, ctx, "error-mid-stream")
	msg = read(t, ctx, chromedp.TextContent(chromedp.CSS(lastTurn+" .note.error")))
	if !strings.Contains(msg, "語言模型服務暫時無法連線") {
		t.Errorf("a failure mid-stream reads %q", msg)
	}
	if role := read(t, ctx, chromedp.Evaluate[string](`document.querySelector("`+lastTurn+` .note.error").getAttribute("role")`)); role != "alert" {
		t.Errorf("the failure is not announced (role %q)", role)
	}
	click(t, ctx, lastTurn+` .answer button.cite[data-n="1"]`)
	browse(t, ctx, chromedp.WaitVisible(chromedp.CSS("#reader mark#highlight")))
	if h := read(t, ctx, chromedp.TextContent(chromedp.ID("highlight"))); h != cite.Quote {
		t.Errorf("the sentence delivered before the failure cites %q", h)
	}
}

// TestBrowserShortAnswer asks a factoid question: the short answer comes
// first, in bold, and is marked inside the cited passage in the source
// card and the reader.
func TestBrowserShortAnswer(t *testing.T) {
	ctx, _, ix, want := askedInPage(t, "第五届双C论坛是在哪一天举行的？")
	if want.ShortAnswer == nil {
		t.Fatalf("no short answer: %+v", want)
	}
	s := want.ShortAnswer
	shoot(t, ctx, "short-answer")
	first := read(t, ctx, chromedp.Evaluate[string](`(() => {
		const turn = document.querySelector("`+lastTurn+`");
		const box = turn.querySelector(".short-answer");
		const before = box.compareDocumentPosition(turn.querySelector(".answer")) & Node.DOCUMENT_POSITION_FOLLOWING;
		return before && !box.hidden ? box.querySelector("strong").textContent : ""; })()`))
	if first != s.Text {
		t.Errorf("the short answer shown first is %q, want %q", first, s.Text)
	}
	if label := read(t, ctx, chromedp.TextContent(chromedp.CSS(lastTurn+" .short-label"))); label != "简答" {
		t.Errorf("short answer label %q", label)
	}
	doc, err := ix.Document(context.Background(), index.DefaultCollection, s.DocID)
	if err != nil {
		t.Fatal(err)
	}
	wantMarked := string([]rune(doc.Text)[s.Start:s.End])
	click(t, ctx, fmt.Sprintf(`%s .answer button.cite[data-n="%d"]`, lastTurn, s.Citation))
	browse(t, ctx, chromedp.WaitVisible(chromedp.CSS("#reader mark#highlight")))
	marked := read(t, ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("#reader-text mark.short"), (m) => m.textContent).join("")`))
	if marked != wantMarked {
		t.Errorf("the reader marks %q as the short answer, want the document's %q", marked, wantMarked)
	}
}
