package answer

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"wenda/prompts"
	"wenda/retrieval"
)

func TestAskValidates(t *testing.T) {
	svc := NewService(&stubSearcher{ps: passages(madridPassage), relevance: 0.9}, Options{})
	tests := []struct {
		name     string
		question string
		want     error
	}{
		{"empty", "", ErrEmptyQuestion},
		{"blank", " \n\t ", ErrEmptyQuestion},
		{"too long", strings.Repeat("问", MaxQuestionRunes+1), ErrQuestionTooLong},
		{"longest allowed", strings.Repeat("问", MaxQuestionRunes), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := svc.Ask(context.Background(), Request{Question: tt.question})
			if !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
			var events []Event
			_, err = svc.AskStream(context.Background(), Request{Question: tt.question}, func(e Event) error { events = append(events, e); return nil })
			if tt.want != nil && len(events) != 0 {
				t.Errorf("emitted %d events for an invalid question", len(events))
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("stream error %v, want %v", err, tt.want)
			}
		})
	}
}

// fixedModel is an answerability model that estimates p for every
// question, with the given threshold.
func fixedModel(p, threshold float64) *LinearModel {
	m := DefaultAnswerabilityModel()
	m.Weights = make([]float64, len(FeatureNames))
	m.Bias = math.Log(p / (1 - p))
	m.Threshold = threshold
	return m
}

// TestAnswerabilityGate checks that refusal is the system's decision: below
// the threshold the model is not even asked.
func TestAnswerabilityGate(t *testing.T) {
	f := newFakeChat(t, func(w http.ResponseWriter, r *http.Request, call int, req openai.ChatCompletionRequest) {
		reply(w, req, "何立峰与贝森特在西班牙马德里举行会谈[1]。")
	})
	tests := []struct {
		name       string
		p          float64
		min        float64
		answerable bool
	}{
		{"below the model's threshold", 0.39, 0, false},
		{"above it", 0.41, 0, true},
		{"below a configured threshold", 0.5, 0.6, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(f.requests())
			s := &stubSearcher{ps: passages(madridPassage), relevance: 0.9}
			for _, gen := range []Generator{nil, NewLLM(f.config())} {
				svc := NewService(s, Options{Generator: gen, Answerability: fixedModel(tt.p, 0.4), MinAnswerability: tt.min})
				a := askBoth(t, svc, Request{Question: "马德里会谈是谁参加的？"})
				if a.Answerable != tt.answerable {
					t.Errorf("%s: answerable %v, want %v", svc.Answerer(), a.Answerable, tt.answerable)
				}
				if a.Answerability == nil || math.Abs(a.Answerability.Probability-tt.p) > 1e-9 {
					t.Errorf("answerability %+v, want probability %v", a.Answerability, tt.p)
				}
				if !a.Answerable && (a.Text != prompts.Refusal(prompts.Simplified) || !strings.Contains(a.Reason, "可能") || a.ReasonCode != RefusalLowRelevance) {
					t.Errorf("refusal %q reason %q", a.Text, a.Reason)
				}
			}
			if called := len(f.requests()) > before; called == !tt.answerable {
				t.Errorf("model called: %v, answerable %v", called, tt.answerable)
			}
		})
	}
}

func TestOfflineFollowUp(t *testing.T) {
	s := &stubSearcher{ps: passages(fentanylPassage), relevance: 0.9}
	svc := NewService(s, Options{})
	a, err := svc.Ask(context.Background(), Request{Question: "那芬太尼关税呢？", History: []string{"", "马德里会谈讨论了哪些议题？"}})
	if err != nil {
		t.Fatal(err)
	}
	want := "那芬太尼关税呢？ 马德里会谈讨论了哪些议题？"
	if s.queries[0] != want || a.Query != want || a.Question != "那芬太尼关税呢？" {
		t.Errorf("searched %q, query %q, question %q", s.queries[0], a.Query, a.Question)
	}
}

func TestOfflineFollowUpOnRealArticles(t *testing.T) {
	svc := NewService(realIndex(t), Options{})
	a, err := svc.Ask(context.Background(), Request{Question: "那芬太尼关税是多少？", History: []string{"特朗普第二任期对华加征了哪些关税？"}})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Answerable || !strings.Contains(a.Text, "芬太尼") {
		t.Errorf("answerable %v: %s", a.Answerable, a.Text)
	}
}

func TestEmitErrorStops(t *testing.T) {
	svc := NewService(realIndex(t), Options{})
	gone := errors.New("client gone")
	var events []Event
	_, err := svc.AskStream(context.Background(), Request{Question: "吴心伯把今年的中美关系分成了哪三个阶段？"}, func(e Event) error {
		events = append(events, e)
		if e.Type == EventDelta {
			return gone
		}
		return nil
	})
	if !errors.Is(err, gone) {
		t.Fatalf("error %v, want the emit error", err)
	}
	if last := events[len(events)-1]; last.Type != EventDelta {
		t.Errorf("kept emitting after the client left: %s", last.Type)
	}
}

func TestServiceNames(t *testing.T) {
	f := newFakeChat(t, nil)
	s := &stubSearcher{}
	if svc := NewService(s, Options{}); svc.Answerer() != AnswererExtractive || svc.Model() != "" || svc.Threshold() != DefaultAnswerabilityModel().Threshold {
		t.Errorf("offline service: %s %q %v", svc.Answerer(), svc.Model(), svc.Threshold())
	}
	if svc := NewService(s, Options{Generator: NewLLM(f.config())}); svc.Answerer() != AnswererLLM || svc.Model() != "fake-model" {
		t.Errorf("llm service: %s %q", svc.Answerer(), svc.Model())
	}
}

func TestRefusesWhenAQuestionsNumberIsNowhere(t *testing.T) {
	svc := NewService(realIndex(t), Options{Weights: realIndex(t)})
	for _, q := range []string{"习近平和特朗普在釜山的会晤为什么只谈了30分钟就结束了？", "美国批准英伟达向中国出售B300芯片了吗？"} {
		a, err := svc.Ask(context.Background(), Request{Question: q})
		if err != nil {
			t.Fatal(err)
		}
		if a.Answerable || !strings.Contains(a.Reason, "没有出现") || a.ReasonCode != RefusalMissingTerms || len(a.Citations) != 0 {
			t.Errorf("%q: answerable %v reason %q", q, a.Answerable, a.Reason)
		}
	}
	// The same question with the article's own figure is answered.
	a, err := svc.Ask(context.Background(), Request{Question: "习近平与特朗普在釜山的会晤持续了1小时40分钟吗？"})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Answerable {
		t.Errorf("refused: %s", a.Reason)
	}
}

// TestCompoundQuestionSearches: each part of a compound question searches
// once beside the whole question, the first maxParts only, and a part
// whose search fails leaves the answer to the whole question's passages.
func TestCompoundQuestionSearches(t *testing.T) {
	t.Run("bounded", func(t *testing.T) {
		s := &stubSearcher{ps: passages(madridPassage, tiktokPassage), relevance: 0.9}
		q := "马德里会谈在哪里举行？谁出席了？谈了什么？达成了什么？何时再谈？谁牵头？"
		if _, err := NewService(s, Options{}).Ask(context.Background(), Request{Question: q}); err != nil {
			t.Fatal(err)
		}
		if want := 1 + maxParts; len(s.queries) != want {
			t.Errorf("%d searches, want %d: %q", len(s.queries), want, s.queries)
		}
	})
	t.Run("a part's search fails", func(t *testing.T) {
		// The first search answers, the others fail, as a cluster that
		// goes down between them.
		whole := &stubSearcher{ps: passages(madridPassage, tiktokPassage), relevance: 0.9}
		s := &callSearcher{answer: func(ctx context.Context, call int, q retrieval.Query) (retrieval.Result, error) {
			if call > 1 {
				return retrieval.Result{}, errors.New("connection refused")
			}
			return whole.Search(ctx, q)
		}}
		a, err := NewService(s, Options{}).Ask(context.Background(), Request{Question: "中美马德里经贸会谈在哪几天举行？双方就TikTok问题达成了什么共识？"})
		if err != nil {
			t.Fatal(err)
		}
		if !a.Answerable || len(a.Citations) == 0 {
			t.Errorf("answerable %v with %d citations: %s", a.Answerable, len(a.Citations), a.Text)
		}
		if s.calls != 3 {
			t.Errorf("%d searches, want the question's and one for each of its two parts", s.calls)
		}
	})
}

// callSearcher answers each search with what answer returns for its
// number: 1 for the whole question, then its parts'.
type callSearcher struct {
	answer func(ctx context.Context, call int, q retrieval.Query) (retrieval.Result, error)
	calls  int
}

func (c *callSearcher) Search(ctx context.Context, q retrieval.Query) (retrieval.Result, error) {
	c.calls++
	return c.answer(ctx, c.calls, q)
}
