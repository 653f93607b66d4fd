package answer

import (
	"context"
	"errors"
	"io"
	"math"
	"strings"

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

// afterFirstToken carries an error that happened once text had been
// delivered. It hides its cause from endpoint.Do, so a half-told answer is
// never retried from the start.
type afterFirstToken struct{ err error }

func (e afterFirstToken) Error() string { return "after the first token: " + e.err.Error() }

// Stream sends msgs and passes the reply to onDelta piece by piece.
// Failures before the first piece are retried like Complete's; a failure
// after it ends the stream with a classified error, and an error from
// onDelta is returned unchanged.
func (l *LLM) Stream(ctx context.Context, msgs []prompts.Message, onDelta func(string) error) error {
	err := endpoint.Do(ctx, l.cfg, opChat, func(ctx context.Context) error {
		stream, err := l.client.CreateChatCompletionStream(ctx, l.request(msgs))
		if err != nil {
			return err
		}
		defer stream.Close()
		started := false
		for {
			resp, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				if !started {
					return ErrEmptyCompletion
				}
				return nil
			}
			if err != nil {
				if started {
					return afterFirstToken{endpoint.Classify(opChat, err)}
				}
				return err
			}
			for _, c := range resp.Choices {
				if c.Delta.Content == "" {
					continue
				}
				started = true
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
