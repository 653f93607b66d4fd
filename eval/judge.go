package eval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	openai "github.com/sashabaranov/go-openai"

	"wenda/answer"
	"wenda/endpoint"
)

// LLMJudge measures faithfulness with a chat model: for each claim (answer
// sentence) it asks whether the passages the claim cites state it. A claim
// that cites nothing is unsupported without asking. It is optional and never
// part of the CI gate, which must run offline.
type LLMJudge struct {
	cfg    endpoint.Config
	client *openai.Client
}

var _ Judge = (*LLMJudge)(nil)

// ErrNoModel is returned by NewLLMJudge when no chat endpoint is configured.
var ErrNoModel = errors.New("judge: no chat model configured")

// ErrBadVerdict is returned when the judge's reply cannot be read.
var ErrBadVerdict = errors.New("judge: unreadable verdict")

// NewLLMJudge returns a judge that calls the OpenAI-compatible endpoint cfg
// with its retries and timeout.
func NewLLMJudge(cfg endpoint.Config) (*LLMJudge, error) {
	if !cfg.Enabled() || cfg.Model == "" {
		return nil, ErrNoModel
	}
	return &LLMJudge{cfg: cfg, client: endpoint.NewClient(cfg)}, nil
}

const judgeSystem = `You check answers against their sources. For each numbered claim, decide whether the passages it cites state the claim: supported is true only when every fact in the claim (names, numbers, dates, who did what) appears in or follows directly from those passages; general knowledge does not count. Reply with JSON only, in this form: {"verdicts":[{"claim":1,"supported":true}]}`

// Judge returns how many of the answer's claims the cited passages support,
// out of all its claims.
func (j *LLMJudge) Judge(ctx context.Context, question string, a answer.Answer) (int, int, error) {
	cls := claims(a.Text)
	idx := citationIndex(a.Citations)
	var (
		asked []int // claims sent to the model, by position in cls
		used  = map[int]bool{}
		b     strings.Builder
	)
	for i, c := range cls {
		cited := false
		for _, n := range c.marks {
			if _, ok := idx[n]; ok {
				used[n], cited = true, true
			}
		}
		if cited {
			asked = append(asked, i)
		}
	}
	if len(asked) == 0 {
		return 0, len(cls), nil
	}
	nums := make([]int, 0, len(used))
	for n := range used {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	fmt.Fprintf(&b, "Question: %s\n\nPassages:\n", question)
	for _, n := range nums {
		fmt.Fprintf(&b, "[%d] %s\n\n", n, strings.TrimSpace(idx[n].Quote))
	}
	b.WriteString("Claims:\n")
	for k, i := range asked {
		var cites []string
		for _, n := range cls[i].marks {
			if _, ok := idx[n]; ok {
				cites = append(cites, fmt.Sprintf("[%d]", n))
			}
		}
		fmt.Fprintf(&b, "%d. %s (cites %s)\n", k+1, cls[i].text, strings.Join(cites, ""))
	}

	var content string
	err := endpoint.Do(ctx, j.cfg, "chat", func(ctx context.Context) error {
		resp, err := j.client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{
			Model: j.cfg.Model,
			Messages: []openai.ChatCompletionMessage{
				{Role: openai.ChatMessageRoleSystem, Content: judgeSystem},
				{Role: openai.ChatMessageRoleUser, Content: b.String()},
			},
		})
		if err != nil {
			return err
		}
		if len(resp.Choices) == 0 {
			return fmt.Errorf("%w: no choices", ErrBadVerdict)
		}
		content = resp.Choices[0].Message.Content
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	verdicts, err := parseVerdicts(content)
	if err != nil {
		return 0, 0, err
	}
	ok := 0
	for k := range asked {
		if verdicts[k+1] {
			ok++
		}
	}
	return ok, len(cls), nil
}

// parseVerdicts reads {"verdicts":[{"claim":n,"supported":b}]} from a
// reply, which models often wrap in prose or a code fence. A claim without
// a verdict counts as unsupported.
func parseVerdicts(content string) (map[int]bool, error) {
	i, k := strings.Index(content, "{"), strings.LastIndex(content, "}")
	if i < 0 || k < i {
		return nil, fmt.Errorf("%w: no JSON object in %q", ErrBadVerdict, shorten(content, 80))
	}
	var v struct {
		Verdicts []struct {
			Claim     int  `json:"claim"`
			Supported bool `json:"supported"`
		} `json:"verdicts"`
	}
	if err := json.Unmarshal([]byte(content[i:k+1]), &v); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadVerdict, err)
	}
	out := make(map[int]bool, len(v.Verdicts))
	for _, x := range v.Verdicts {
		out[x.Claim] = x.Supported
	}
	return out, nil
}
