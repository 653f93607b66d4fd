package answer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"wenda/endpoint"
	"wenda/prompts"
)

// Generator writes text from chat messages: the LLM path of the service.
// A nil Generator means the service answers offline.
type Generator interface {
	// Complete returns the whole reply to msgs.
	Complete(ctx context.Context, msgs []prompts.Message) (string, error)
	// Stream calls onDelta with each piece of the reply as it arrives. An
	// error from onDelta stops the stream and is returned as it is.
	Stream(ctx context.Context, msgs []prompts.Message, onDelta func(string) error) error
	// Model names the model, for the answer's record.
	Model() string
}

// LLM is a Generator for any OpenAI-compatible chat endpoint. It holds one
// client for all calls. Each attempt runs under the endpoint's timeout and
// failures before the first token are retried with backoff; errors are
// *endpoint.Error values wrapping endpoint.ErrUnavailable, ErrTimeout or
// ErrRejected.
type LLM struct {
	cfg    endpoint.Config
	client *openai.Client
}

var _ Generator = (*LLM)(nil)

// NewLLM returns an LLM for the endpoint cfg describes.
func NewLLM(cfg endpoint.Config) *LLM {
	return &LLM{cfg: cfg, client: endpoint.NewClient(cfg)}
}

// Model returns the configured model name.
func (l *LLM) Model() string { return l.cfg.Model }

// opChat names chat calls in errors.
const opChat = "chat"

// ErrEmptyCompletion is returned when the model replied with no text.
var ErrEmptyCompletion = errors.New("model returned an empty completion")

// zeroTemperature asks for deterministic sampling. go-openai omits a zero
// temperature from the request (the field is omitempty), which would leave
// the server's default of 1; the smallest positive float32 survives
// encoding and means 0 to every server.
const zeroTemperature = math.SmallestNonzeroFloat32

func (l *LLM) request(msgs []prompts.Message) openai.ChatCompletionRequest {
	req := openai.ChatCompletionRequest{Model: l.cfg.Model, Temperature: zeroTemperature}
	for _, m := range msgs {
		req.Messages = append(req.Messages, openai.ChatCompletionMessage{Role: m.Role, Content: m.Content})
	}
	return req
}

// Complete sends msgs and returns the reply.
func (l *LLM) Complete(ctx context.Context, msgs []prompts.Message) (string, error) {
	var text string
	err := endpoint.Do(ctx, l.cfg, opChat, func(ctx context.Context) error {
		resp, err := l.client.CreateChatCompletion(ctx, l.request(msgs))
		if err != nil {
			return err
		}
		meterOf(ctx).add(resp.Usage)
		if len(resp.Choices) == 0 || strings.TrimSpace(resp.Choices[0].Message.Content) == "" {
			return ErrEmptyCompletion
		}
		text = resp.Choices[0].Message.Content
		return nil
	})
	if err != nil {
		return "", err
	}
	return text, nil
}

// ErrStreamCut is the cause of a stream that ended with neither a
// finish_reason nor the closing [DONE]: the connection dropped or the
// server gave up mid-answer, and what arrived may be half a sentence.
var ErrStreamCut = errors.New("the model's stream ended before the reply was complete")

// afterFirstToken carries an error that happened once text had been
// delivered. It hides its cause from endpoint.Do, so a half-told answer is
// never retried from the start.
type afterFirstToken struct{ err error }

func (e afterFirstToken) Error() string { return "after the first token: " + e.err.Error() }

// Stream sends msgs and passes the reply to onDelta piece by piece. The
// first piece must come within the endpoint's FirstToken timeout and each
// later one within its Idle timeout; the stream as a whole is bounded only
// by ctx, so a healthy model may write a long answer. Failures before the
// first piece are retried like Complete's. A stream that ends without a
// finish_reason or [DONE] was cut off and is a failure, never a complete
// answer. A failure after the first piece ends the stream with a
// classified error, and an error from onDelta is returned unchanged.
func (l *LLM) Stream(ctx context.Context, msgs []prompts.Message, onDelta func(string) error) error {
	err := endpoint.DoStream(ctx, l.cfg, opChat, func(ctx context.Context) error {
		ctx, cancel := context.WithCancelCause(ctx)
		defer cancel(nil)
		var started atomic.Bool
		firstToken, idle := l.cfg.FirstToken(), l.cfg.Idle()
		clock := time.AfterFunc(firstToken, func() {
			if started.Load() {
				cancel(&endpoint.Timeout{What: fmt.Sprintf("the model paused for more than %s mid-answer", idle)})
				return
			}
			cancel(&endpoint.Timeout{What: fmt.Sprintf("no first token within %s", firstToken)})
		})
		defer clock.Stop()
		// cause turns the cancellation of a clock into its own error.
		cause := func(err error) error {
			if c := context.Cause(ctx); c != nil && !errors.Is(c, context.Canceled) && ctx.Err() != nil {
				var to *endpoint.Timeout
				if errors.As(c, &to) {
					return c
				}
			}
			return err
		}
		stream, err := l.client.CreateChatCompletionStream(ctx, l.request(msgs))
		if err != nil {
			return cause(err)
		}
		defer stream.Close()
		finished := false
		for {
			resp, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				complete := finished || endpoint.StreamDone(ctx)
				switch {
				case !started.Load() && complete:
					return ErrEmptyCompletion
				case !started.Load():
					return ErrStreamCut
				case !complete:
					return afterFirstToken{&endpoint.Error{Op: opChat, Kind: endpoint.ErrUnavailable, Err: ErrStreamCut,
						Detail: "the model's reply stopped before it was complete"}}
				}
				return nil
			}
			if err != nil {
				err = cause(err)
				if started.Load() {
					return afterFirstToken{endpoint.Classify(opChat, err)}
				}
				return err
			}
			if resp.Usage != nil {
				meterOf(ctx).add(*resp.Usage)
			}
			if started.Load() {
				clock.Reset(idle)
			}
			for _, c := range resp.Choices {
				if c.FinishReason != "" {
					finished = true
				}
				if c.Delta.Content == "" {
					continue
				}
				if !started.Load() {
					started.Store(true)
					clock.Reset(idle)
				}
				if err := onDelta(c.Delta.Content); err != nil {
					return afterFirstToken{stopped{err}}
				}
			}
		}
	})
	var after afterFirstToken
	if errors.As(err, &after) {
		var s stopped
		if errors.As(after.err, &s) {
			return s.err
		}
		return after.err
	}
	return err
}

// stopped carries an error from the caller's onDelta through the stream.
type stopped struct{ err error }

func (e stopped) Error() string { return e.err.Error() }

// Usage counts the tokens the model services reported for one answer,
// summed over its calls (a rewrite and the answer).
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// meter sums the usage of the model calls made for one answer; the
// service puts one in the context of the calls.
type meter struct {
	mu    sync.Mutex
	usage Usage
	seen  bool
}

type meterKey struct{}

func withMeter(ctx context.Context) (context.Context, *meter) {
	m := &meter{}
	return context.WithValue(ctx, meterKey{}, m), m
}

func meterOf(ctx context.Context) *meter {
	m, _ := ctx.Value(meterKey{}).(*meter)
	return m
}

func (m *meter) add(u openai.Usage) {
	if m == nil || u.TotalTokens == 0 && u.PromptTokens == 0 && u.CompletionTokens == 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.seen = true
	m.usage.PromptTokens += u.PromptTokens
	m.usage.CompletionTokens += u.CompletionTokens
	m.usage.TotalTokens += u.TotalTokens
}

// total is the usage so far, or nil when no call reported any.
func (m *meter) total() *Usage {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.seen {
		return nil
	}
	u := m.usage
	return &u
}
