package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"wenda/answer"
	"wenda/auth"
	"wenda/index"
)

// modelID is the model of the default collection through the OpenAI-compatible
// routes; clients may send any model name.
const modelID = "wenda"

// chatRequest is the part of an OpenAI chat completion request wenda uses.
// k, mode and filters are wenda's own additions; other fields are ignored.
type chatRequest struct {
	Model    string        `json:"model"`
	Messages []chatMessage `json:"messages"`
	Stream   bool          `json:"stream"`
	K        *int          `json:"k,omitempty"`
	Mode     string        `json:"mode,omitempty"`
	Filters  *filters      `json:"filters,omitempty"`
	// StreamOptions asks, as OpenAI clients do, for a last chunk with
	// the usage.
	StreamOptions *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options,omitempty"`
}

type chatMessage struct {
	Role    string      `json:"role"`
	Content chatContent `json:"content"`
}

// chatContent is a message's text, sent either as a string or, by newer
// clients, as an array of parts of which the text parts are kept.
type chatContent string

func (c *chatContent) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err == nil {
		*c = chatContent(s)
		return nil
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(data, &parts); err != nil {
		if string(data) == "null" {
			return nil
		}
		return badRequest("invalid_type", "messages[].content must be a string or an array of text parts")
	}
	var texts []string
	for _, p := range parts {
		if p.Type == "text" {
			texts = append(texts, p.Text)
		}
	}
	*c = chatContent(strings.Join(texts, "\n"))
	return nil
}

// chatCompletion is the non-streamed reply. Citations and the answerer
// fields are wenda's additions: the targets of the [n] markers in the
// content, and whether the LLM wrote the answer or the extractive answerer
// stood in for it (fallback, with the reason). Usage counts the tokens the
// model services reported (zeros for an extractive answer, which used
// none).
type chatCompletion struct {
	ID        string            `json:"id"`
	Object    string            `json:"object"`
	Created   int64             `json:"created"`
	Model     string            `json:"model"`
	Choices   []chatChoice      `json:"choices"`
	Usage     answer.Usage      `json:"usage"`
	Citations []answer.Citation `json:"citations"`
	answererFields
}

// answererFields tell an SDK user who wrote the answer.
type answererFields struct {
	Answerer       string `json:"answerer,omitempty"`
	Fallback       bool   `json:"fallback,omitempty"`
	FallbackReason string `json:"fallback_reason,omitempty"`
}

func answererOf(a answer.Answer) answererFields {
	return answererFields{Answerer: a.Answerer, Fallback: a.Fallback, FallbackReason: a.FallbackReason}
}

func usageOf(a answer.Answer) answer.Usage {
	if a.Usage != nil {
		return *a.Usage
	}
	return answer.Usage{}
}

type chatChoice struct {
	Index        int          `json:"index"`
	Message      chatReplyMsg `json:"message"`
	FinishReason string       `json:"finish_reason"`
}

type chatReplyMsg struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// chatChunk is one streamed piece; the last one, with finish_reason set,
// carries the citations and the answerer fields. When the client asked
// for usage, a chunk with no choices and the usage follows, as OpenAI
// sends it.
type chatChunk struct {
	ID        string            `json:"id"`
	Object    string            `json:"object"`
	Created   int64             `json:"created"`
	Model     string            `json:"model"`
	Choices   []chunkChoice     `json:"choices"`
	Usage     *answer.Usage     `json:"usage,omitempty"`
	Citations []answer.Citation `json:"citations,omitempty"`
	answererFields
}

type chunkChoice struct {
	Index        int        `json:"index"`
	Delta        chunkDelta `json:"delta"`
	FinishReason *string    `json:"finish_reason"`
}

type chunkDelta struct {
	Role    string `json:"role,omitempty"`
	Content string `json:"content,omitempty"`
}

type modelList struct {
	Object string      `json:"object"`
	Data   []modelInfo `json:"data"`
}

type modelInfo struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Created int64  `json:"created"`
	OwnedBy string `json:"owned_by"`
}

// models answers GET /v1/models with one model per collection the
// request may read: "wenda" answers from the default collection,
// "wenda/{c}" from collection c.
func (s *Server) models(c *gin.Context) {
	b := backendOf(c)
	all, err := b.catalog().Collections(c.Request.Context())
	if err != nil {
		s.abort(c, err)
		return
	}
	out := modelList{Object: "list", Data: []modelInfo{}}
	for _, info := range all {
		if s.authorize(c, auth.Read, info.ID) != nil {
			continue
		}
		out.Data = append(out.Data, modelInfo{ID: modelFor(info.ID), Object: "model", Created: info.Created.Unix(), OwnedBy: "wenda"})
	}
	c.JSON(http.StatusOK, out)
}

// modelFor is the model name of a collection.
func modelFor(coll string) string {
	if coll == index.DefaultCollection {
		return modelID
	}
	return modelID + "/" + coll
}

// collectionOfModel is the collection a model name asks: "wenda/{c}" is
// c; any other name, "wenda" or whatever a client sends by default, is
// the default collection.
func collectionOfModel(model string) string {
	if c, ok := strings.CutPrefix(model, modelID+"/"); ok {
		return c
	}
	return index.DefaultCollection
}

// chatCompletions answers POST /v1/chat/completions. The latest user
// message is the question; earlier user messages are its history.
func (s *Server) chatCompletions(c *gin.Context) {
	var body chatRequest
	if err := decodeJSON(c.Request, &body, false); err != nil {
		s.abort(c, err)
		return
	}
	question, history, err := splitConversation(body.Messages)
	if err != nil {
		s.abort(c, err)
		return
	}
	b := backendOf(c)
	info, err := s.readCollection(c, b, collectionOfModel(body.Model))
	if errors.Is(err, errCollectionNotFound) {
		err = notFound("model_not_found", "there is no model %q; GET /v1/models lists them", body.Model)
	}
	if err != nil {
		s.abort(c, err)
		return
	}
	req, err := answerRequest(c.Request.Context(), b.Library, info.ID, question, history, body.K, body.Mode, body.Filters)
	if err != nil {
		s.abort(c, err)
		return
	}
	req.Topic = topicOf(info)
	model := modelFor(info.ID)
	id, created := "chatcmpl-"+c.GetString(requestIDKey), time.Now().Unix()
	if body.Stream {
		s.chatStream(c, b, req, model, id, created, body.StreamOptions != nil && body.StreamOptions.IncludeUsage)
		return
	}
	a, err := b.Asker.Ask(c.Request.Context(), req)
	if err != nil {
		s.abort(c, err)
		return
	}
	s.answered(c, a)
	c.JSON(http.StatusOK, chatCompletion{
		ID: id, Object: "chat.completion", Created: created, Model: model,
		Choices: []chatChoice{{
			Message:      chatReplyMsg{Role: "assistant", Content: a.Text},
			FinishReason: "stop",
		}},
		Usage:          usageOf(a),
		Citations:      nonNil(a.Citations),
		answererFields: answererOf(a),
	})
}

// The bounds of a chat request: a conversation of more messages, or a
// message longer than this, is refused before any work.
const (
	maxChatMessages     = 200
	maxChatMessageRunes = 32 << 10
)

// splitConversation takes the latest user message as the question and the
// user messages before it as history, the last answer.MaxHistoryTurns of
// them; assistant and system turns are not evidence, so they are left out.
func splitConversation(msgs []chatMessage) (string, []string, error) {
	if len(msgs) > maxChatMessages {
		return "", nil, badRequest("too_many_messages", "messages has %d entries; the limit is %d", len(msgs), maxChatMessages)
	}
	last := -1
	for i, m := range msgs {
		if n := utf8.RuneCountInString(string(m.Content)); n > maxChatMessageRunes {
			return "", nil, badRequest("message_too_long", "messages[%d] has %d characters; the limit is %d", i, n, maxChatMessageRunes)
		}
		if m.Role == "user" {
			last = i
		}
	}
	if last < 0 {
		return "", nil, badRequest("no_question", "messages holds no message with role \"user\"; the latest user message is the question")
	}
	var history []string
	for _, m := range msgs[:last] {
		if t := strings.TrimSpace(string(m.Content)); m.Role == "user" && t != "" {
			history = append(history, t)
		}
	}
	return string(msgs[last].Content), history[max(0, len(history)-answer.MaxHistoryTurns):], nil
}

// chatStream sends the answer in the OpenAI stream format: data-only
// events, the role first, content deltas, a last chunk with finish_reason,
// the citations and the answerer fields, the usage when asked for, then
// [DONE]. A failure after content went out sends the citations of that
// content (in a chunk without finish_reason: the answer did not finish),
// then the error as OpenAI sends one mid-stream, {"error":{…}}, which the
// SDKs raise, then [DONE].
func (s *Server) chatStream(c *gin.Context, b *Backend, req answer.Request, model, id string, created int64, includeUsage bool) {
	out := newSSE(c.Writer)
	chunk := func(d chunkDelta, finish *string, cites []answer.Citation) chatChunk {
		return chatChunk{ID: id, Object: "chat.completion.chunk", Created: created, Model: model,
			Choices: []chunkChoice{{Delta: d, FinishReason: finish}}, Citations: cites}
	}
	streamed := false
	var delivered []answer.Citation
	a, err := b.Asker.AskStream(c.Request.Context(), req, func(ev answer.Event) error {
		switch ev.Type {
		case answer.EventRetrieval:
			// The role goes first, as OpenAI sends it, once the question
			// is known to be answerable at all.
			return out.send("", chunk(chunkDelta{Role: "assistant"}, nil, nil))
		case answer.EventDelta:
			if ev.Delta != "" {
				streamed = true
				return out.send("", chunk(chunkDelta{Content: ev.Delta}, nil, nil))
			}
		case answer.EventCitations:
			// They go in the last chunk, or ahead of an error.
			delivered = ev.Citations
		}
		return nil
	})
	if err != nil {
		if streamed && len(delivered) > 0 {
			_ = out.send("", chunk(chunkDelta{}, nil, delivered))
		}
		// OpenAI clients read a failure from a data-only event.
		s.streamFailed(c, out, "", err)
		if out.started && c.Request.Context().Err() == nil {
			_ = out.sendRaw("", []byte("[DONE]"))
		}
		return
	}
	s.answered(c, a)
	stop := "stop"
	if !streamed {
		_ = out.send("", chunk(chunkDelta{Role: "assistant", Content: a.Text}, nil, nil))
	}
	last := chunk(chunkDelta{}, &stop, nonNil(a.Citations))
	last.answererFields = answererOf(a)
	_ = out.send("", last)
	if includeUsage {
		u := usageOf(a)
		_ = out.send("", chatChunk{ID: id, Object: "chat.completion.chunk", Created: created, Model: model,
			Choices: []chunkChoice{}, Usage: &u})
	}
	_ = out.sendRaw("", []byte("[DONE]"))
}
