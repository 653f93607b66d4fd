package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"wenda/answer"
	"wenda/endpoint"
)

// openaiClient is the go-openai client an application would use, pointed
// at wenda.
func openaiClient(url string) *openai.Client {
	cfg := openai.DefaultConfig("unused")
	cfg.BaseURL = url + "/v1"
	return openai.NewClientWithConfig(cfg)
}

func TestOpenAIModels(t *testing.T) {
	ts := newTestServer(t, realAsker(t), Options{})
	list, err := openaiClient(ts.URL).ListModels(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Models) != 1 || list.Models[0].ID != modelID {
		t.Errorf("models %+v", list.Models)
	}
}

func TestOpenAIChat(t *testing.T) {
	ts := newTestServer(t, realAsker(t), Options{})
	client := openaiClient(ts.URL)
	req := openai.ChatCompletionRequest{
		Model: modelID,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: "Answer briefly."},
			{Role: openai.ChatMessageRoleUser, Content: "双C论坛是谁主持的？"},
			{Role: openai.ChatMessageRoleAssistant, Content: "达巍主持[1]。"},
			{Role: openai.ChatMessageRoleUser, Content: "达巍用哪个英文词来概括这次中美元首会晤？"},
		},
	}
	res, err := client.CreateChatCompletion(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Choices) != 1 || res.Choices[0].FinishReason != openai.FinishReasonStop || res.Choices[0].Message.Role != "assistant" {
		t.Fatalf("choices %+v", res.Choices)
	}
	content := res.Choices[0].Message.Content
	if !strings.Contains(content, "inflection point") || !strings.Contains(content, "[1]") {
		t.Errorf("content %q lacks the answer or its marker", content)
	}

	// The citations travel in an extra field that go-openai does not
	// decode; read it from the raw body as a client that wants it would.
	body, _ := json.Marshal(req)
	var raw struct {
		Choices []struct {
			Message struct{ Content string } `json:"message"`
		} `json:"choices"`
		Citations []answer.Citation `json:"citations"`
	}
	r := do(t, "POST", ts.URL+"/v1/chat/completions", string(body), nil)
	if err := json.Unmarshal(r.Body, &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw.Citations) == 0 || raw.Choices[0].Message.Content != content {
		t.Fatalf("citations %d, content %q", len(raw.Citations), raw.Choices[0].Message.Content)
	}
	checkCitations(t, answer.Answer{Text: content, Citations: raw.Citations})
}

func TestOpenAIChatStream(t *testing.T) {
	ts := newTestServer(t, realAsker(t), Options{})
	stream, err := openaiClient(ts.URL).CreateChatCompletionStream(context.Background(), openai.ChatCompletionRequest{
		Model:    "any-model-name",
		Stream:   true,
		Messages: []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: "马德里会谈之后，中美关系会如何发展？"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	var (
		content strings.Builder
		role    string
		finish  openai.FinishReason
		last    chatChunk
	)
	for {
		raw, err := stream.RecvRaw()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		var chunk openai.ChatCompletionStreamResponse
		if err := json.Unmarshal(raw, &chunk); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &last); err != nil {
			t.Fatal(err)
		}
		if chunk.Object != "chat.completion.chunk" || len(chunk.Choices) != 1 {
			t.Fatalf("chunk %s", raw)
		}
		d := chunk.Choices[0].Delta
		if d.Role != "" {
			role = d.Role
		}
		content.WriteString(d.Content)
		if chunk.Choices[0].FinishReason != "" {
			finish = chunk.Choices[0].FinishReason
		}
	}
	if role != "assistant" || finish != openai.FinishReasonStop {
		t.Errorf("role %q, finish %q", role, finish)
	}
	if content.Len() == 0 || len(last.Citations) == 0 {
		t.Fatalf("content %q, %d citations on the last chunk", content.String(), len(last.Citations))
	}
	checkCitations(t, answer.Answer{Text: content.String(), Citations: last.Citations})
}

// TestOpenAIChatErrors checks that go-openai surfaces wenda's errors with
// their status and message, before and during a stream.
func TestOpenAIChatErrors(t *testing.T) {
	timeout := &endpoint.Error{Op: "chat", Kind: endpoint.ErrTimeout, Err: context.DeadlineExceeded}
	ts := newTestServer(t, scriptedAsker([]string{"部分回答"}, timeout), Options{})
	client := openaiClient(ts.URL)

	_, err := client.CreateChatCompletion(context.Background(), openai.ChatCompletionRequest{Model: modelID})
	var api *openai.APIError
	if !errors.As(err, &api) || api.HTTPStatusCode != 400 || api.Code != "no_question" || api.Message == "" {
		t.Errorf("no messages: %v", err)
	}

	stream, err := client.CreateChatCompletionStream(context.Background(), openai.ChatCompletionRequest{
		Model: modelID, Stream: true,
		Messages: []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: "中美关系"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	for {
		_, err = stream.Recv()
		if err != nil {
			break
		}
	}
	if !errors.As(err, &api) || api.Code != "llm_timeout" {
		t.Errorf("stream ended with %v, want the llm_timeout error", err)
	}
}

func TestChatConversationSplit(t *testing.T) {
	msgs := []chatMessage{
		{Role: "system", Content: "be brief"},
		{Role: "user", Content: "第一问"},
		{Role: "assistant", Content: "答[1]"},
		{Role: "user", Content: " "},
		{Role: "user", Content: "第二问"},
		{Role: "assistant", Content: "答"},
		{Role: "user", Content: "追问"},
	}
	q, history, err := splitConversation(msgs)
	if err != nil || q != "追问" || strings.Join(history, "|") != "第一问|第二问" {
		t.Errorf("question %q, history %q, err %v", q, history, err)
	}
	var parts chatMessage
	if err := json.Unmarshal([]byte(`{"role":"user","content":[{"type":"text","text":"中美"},{"type":"image_url","image_url":{"url":"x"}},{"type":"text","text":"关系"}]}`), &parts); err != nil {
		t.Fatal(err)
	}
	if parts.Content != "中美\n关系" {
		t.Errorf("content parts read as %q", parts.Content)
	}
}
