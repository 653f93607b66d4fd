package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	openai "github.com/sashabaranov/go-openai"

	"wenda/answer"
	"wenda/endpoint"
)

// fakeLLM is an OpenAI-compatible chat endpoint for the page tests: it
// answers from the passages of the prompt it is sent, as a model told to
// cite them would, streaming its reply in small pieces (so markers arrive
// split) and ending the stream the way OpenAI does.
type fakeLLM struct {
	srv *httptest.Server
	// write makes the reply from the prompt's passages (numbered from 1);
	// each element is sent as pieces of a few runes; between elements the
	// stream waits for a value on hold, when hold is not nil.
	write func(passages map[int]string) []string
	hold  chan struct{}
}

var passageRE = regexp.MustCompile(`(?s)<passage id="(\d+)"[^>]*>\n(.*?)\n</passage>`)

func newFakeLLM(t *testing.T, write func(passages map[int]string) []string) *fakeLLM {
	t.Helper()
	f := &fakeLLM{write: write}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req openai.ChatCompletionRequest
		if r.URL.Path != "/v1/chat/completions" || json.NewDecoder(r.Body).Decode(&req) != nil || len(req.Messages) == 0 {
			http.Error(w, `{"error":{"message":"bad request"}}`, http.StatusBadRequest)
			return
		}
		ps := map[int]string{}
		for _, m := range passageRE.FindAllStringSubmatch(req.Messages[len(req.Messages)-1].Content, -1) {
			var n int
			fmt.Sscan(m[1], &n)
			ps[n] = m[2]
		}
		parts := f.write(ps)
		if !req.Stream {
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(openai.ChatCompletionResponse{ID: "c1", Object: "chat.completion", Model: req.Model,
				Choices: []openai.ChatCompletionChoice{{Message: openai.ChatCompletionMessage{Role: "assistant", Content: strings.Join(parts, "")}, FinishReason: "stop"}}})
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(http.StatusOK)
		chunk := func(piece string, finish openai.FinishReason) {
			b, _ := json.Marshal(openai.ChatCompletionStreamResponse{ID: "c1", Object: "chat.completion.chunk", Model: req.Model,
				Choices: []openai.ChatCompletionStreamChoice{{Delta: openai.ChatCompletionStreamChoiceDelta{Content: piece}, FinishReason: finish}}})
			fmt.Fprintf(w, "data: %s\n\n", b)
			w.(http.Flusher).Flush()
		}
		for i, part := range parts {
			if i > 0 && f.hold != nil {
				select {
				case <-f.hold:
				case <-r.Context().Done():
					return
				}
			}
			rs := []rune(part)
			for j := 0; j < len(rs); j += 3 {
				chunk(string(rs[j:min(j+3, len(rs))]), "")
			}
		}
		chunk("", openai.FinishReasonStop)
		fmt.Fprint(w, "data: [DONE]\n\n")
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// service answers over the real articles with this model.
func (f *fakeLLM) service(t *testing.T) *answer.Service {
	llm := answer.NewLLM(endpoint.Config{BaseURL: f.srv.URL + "/v1", APIKey: "test", Model: "fake-model", Timeout: 30 * time.Second})
	return answer.NewService(realIndex(t), answer.Options{Generator: llm})
}

// firstSentence is the passage's first sentence without its full stop.
func firstSentence(p string) string {
	s, _, _ := strings.Cut(p, "。")
	return strings.TrimSpace(s)
}

// TestBrowserCitationOpensWhileStreaming streams an answer whose model
// pauses after its first sentence, and opens that sentence's [1] while the
// rest is still to come.
func TestBrowserCitationOpensWhileStreaming(t *testing.T) {
	ctx := newBrowser(t)
	var quote1 string
	var mu sync.Mutex
	f := newFakeLLM(t, func(ps map[int]string) []string {
		mu.Lock()
		quote1 = ps[1]
		mu.Unlock()
		s2 := []rune(firstSentence(ps[2]) + "[2]。")
		// The first rune of the second sentence tells the composer that
		// the first one has ended.
		return []string{firstSentence(ps[1]) + "[1]。" + string(s2[0]), string(s2[1:])}
	})
	f.hold = make(chan struct{})
	var once sync.Once
	release := func() { once.Do(func() { close(f.hold) }) }
	t.Cleanup(release)
	ix := realIndex(t)
	p := servePage(t, f.service(t), ix)

	browse(t, ctx, chromedp.Navigate(p.URL+"/"), chromedp.WaitVisible(chromedp.ID("question")),
		chromedp.SetValue(chromedp.ID("question"), "马德里会谈讨论了哪些议题？"))
	click(t, ctx, "#ask-button")
	poll(t, ctx, `Boolean(document.querySelector("`+lastTurn+` .answer button.cite[data-n='1']:not([disabled])"))`, "[1] to become clickable")
	if busy := read(t, ctx, chromedp.Evaluate[string](`document.querySelector("`+lastTurn+`").getAttribute("aria-busy")`)); busy != "true" {
		t.Fatalf("the answer was complete (aria-busy %q) before [1] could be tried", busy)
	}
	if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("`+lastTurn+` .answer button.cite[data-n='2']").length`)); n != 0 {
		t.Fatal("the second sentence arrived before the model was released")
	}
	click(t, ctx, lastTurn+` .answer button.cite[data-n="1"]`)
	browse(t, ctx, chromedp.WaitVisible(chromedp.CSS("#reader mark#highlight")))
	shoot(t, ctx, "streaming-citation")
	highlight := read(t, ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("#reader-text mark.quote"), (m) => m.textContent).join("")`))
	mu.Lock()
	want := quote1
	mu.Unlock()
	if norm(highlight) != norm(want) || highlight == "" {
		t.Errorf("while streaming, [1] opened %q\nwant the first passage %q", highlight, want)
	}
	if busy := read(t, ctx, chromedp.Evaluate[string](`document.querySelector("`+lastTurn+`").getAttribute("aria-busy")`)); busy != "true" {
		t.Errorf("the answer finished before the citation was opened")
	}
	click(t, ctx, "#reader-close")
	release()
	poll(t, ctx, `document.querySelector("`+lastTurn+`").getAttribute("aria-busy") === "false"`, "the answer to finish")
	if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("`+lastTurn+` .answer button.cite:not([disabled])").length`)); n != 2 {
		t.Errorf("%d markers clickable at the end, want 2", n)
	}
	if status := read(t, ctx, chromedp.TextContent(chromedp.CSS(lastTurn+" .status"))); !strings.Contains(status, "fake-model") {
		t.Errorf("status %q does not name the model", status)
	}
}

// TestBrowserWithheldSentence has the model write one sentence its
// passage supports and one whose figures it invented; the page answers
// with the first, says one sentence was left out, and shows it with the
// reason on request.
func TestBrowserWithheldSentence(t *testing.T) {
	ctx := newBrowser(t)
	const invented = "美方还同意在2031年前向中方支付9999亿美元"
	f := newFakeLLM(t, func(ps map[int]string) []string {
		return []string{firstSentence(ps[1]) + "[1]。" + invented + "[1]。"}
	})
	svc := f.service(t)
	p := servePage(t, svc, realIndex(t))
	const question = "马德里会谈讨论了哪些议题？"
	want, err := svc.Ask(context.Background(), answer.Request{Question: question})
	if err != nil || !want.Answerable || want.Verification.Dropped != 1 || len(want.Verification.Withheld) != 1 {
		t.Fatalf("the service did not withhold one sentence: %+v, %v", want.Verification, err)
	}
	browse(t, ctx, chromedp.Navigate(p.URL+"/"))
	askInPage(t, ctx, question)
	note := read(t, ctx, chromedp.Evaluate[string](`document.querySelector("`+lastTurn+` .note.withheld p").textContent`))
	if note != "1 句话在所引文档中找不到依据，已略去。" {
		t.Errorf("withheld note %q", note)
	}
	if answerText := read(t, ctx, chromedp.TextContent(chromedp.CSS(lastTurn+" .answer"))); strings.Contains(answerText, "9999") {
		t.Errorf("the invented sentence is in the answer: %q", answerText)
	}
	if open := read(t, ctx, chromedp.Evaluate[bool](`document.querySelector("`+lastTurn+` .note.withheld details").open`)); open {
		t.Error("the withheld sentence is shown before the reader asks")
	}
	click(t, ctx, lastTurn+" .note.withheld summary")
	shoot(t, ctx, "withheld")
	item := read(t, ctx, chromedp.Evaluate[string](`document.querySelector("`+lastTurn+` .withheld-list li").innerText`))
	quoted := read(t, ctx, chromedp.TextContent(chromedp.CSS(lastTurn+" .withheld-list q")))
	if quoted != invented+"。" {
		t.Errorf("withheld sentence shown as %q, want %q", quoted, invented+"。")
	}
	if !strings.Contains(item, "所引段落中没有") || !strings.Contains(item, "9999") {
		t.Errorf("the reason given is %q; want the figures the passage lacks", item)
	}
}

// TestBrowserFallbackInReadersWords has the model's service down: the
// answer comes from the extractive answerer, and the page says so in the
// question's script, with what failed behind the details toggle, worded
// rather than in the service's English.
func TestBrowserFallbackInReadersWords(t *testing.T) {
	ctx := newBrowser(t)
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, `{"error":{"message":"overloaded","type":"server_error"}}`)
	}))
	t.Cleanup(down.Close)
	llm := answer.NewLLM(endpoint.Config{BaseURL: down.URL + "/v1", APIKey: "test", Model: "fake-model", Timeout: 5 * time.Second})
	ix := realIndex(t)
	p := servePage(t, answer.NewService(ix, answer.Options{Generator: llm, FallbackOnError: true}), ix)
	browse(t, ctx, chromedp.Navigate(p.URL+"/"))
	askInPage(t, ctx, "馬德里會談討論了哪些議題？")
	note := read(t, ctx, chromedp.TextContent(chromedp.CSS(lastTurn+" .note.fallback p")))
	if note != "語言模型暫時無法使用，以下回答直接摘自文件。" {
		t.Errorf("fallback note %q", note)
	}
	detail := read(t, ctx, chromedp.TextContent(chromedp.CSS(lastTurn+" .note.fallback details p")))
	if !strings.Contains(detail, "語言模型服務暫時無法連線") || strings.Contains(detail, "model service") {
		t.Errorf("fallback detail %q", detail)
	}
	if n := read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("`+lastTurn+` .answer button.cite:not([disabled])").length`)); n == 0 {
		t.Error("the extractive answer has no citations")
	}
}
