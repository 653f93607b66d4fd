package prompts

import (
	"embed"
	"fmt"
	"strings"
	"text/template"
)

//go:embed templates/*.tmpl
var files embed.FS

// templates are parsed once; a template that does not parse is a build
// defect, caught by the package's tests.
var templates = template.Must(template.New("prompts").Funcs(template.FuncMap{
	"fence": Neutralize,
	"attr":  attr.Replace,
	"inc":   func(i int) int { return i + 1 },
}).ParseFS(files, "templates/*.tmpl"))

// Message is one chat message.
type Message struct {
	Role    string // "system" or "user"
	Content string
}

// The chat roles used here.
const (
	RoleSystem = "system"
	RoleUser   = "user"
)

// AnswerInput is what an answer prompt is rendered from. Passages should
// already be fitted to the context budget (see Fit) and numbered from 1.
type AnswerInput struct {
	Question string
	Language Language
	Passages []Passage
	// Topic is the collection asked; its zero value says only
	// "a collection of documents".
	Topic Topic
	// Expect describes, in English, the kind of answer the question asks
	// for ("a date", "a person's name"), when question analysis found
	// one; the model is asked to state it first.
	Expect string
	// Parts are the things a question that asks more than one asks, each
	// with what it expects ("美方由谁牵头？ (a person's name)"); the model
	// is asked to answer each. Expect is then not used.
	Parts []string
}

// Answer renders the system and user messages that ask the model to answer
// in.Question from in.Passages.
func Answer(in AnswerInput) ([]Message, error) {
	if in.Language == "" {
		in.Language = LanguageOf(in.Question)
	}
	data := struct {
		AnswerInput
		LanguageName string
		Refusal      string
	}{in, in.Language.Name(), Refusal(in.Language)}
	data.Question = Neutralize(strings.TrimSpace(in.Question))
	data.Parts = make([]string, len(in.Parts))
	for i, p := range in.Parts {
		data.Parts[i] = Neutralize(strings.TrimSpace(p))
	}
	return render(data, "answer_system.tmpl", "answer_user.tmpl")
}

// RewriteInput is a follow-up question with the user's earlier questions,
// oldest first.
type RewriteInput struct {
	History  []string
	Question string
	Language Language
	// Translate asks for the standalone question in Simplified Chinese, the
	// language of the documents, so that an English question can be
	// searched.
	Translate bool
	// Topic is the collection asked.
	Topic Topic
}

// Rewrite renders the messages that ask the model to turn a follow-up
// question into a standalone one, or an English question into a Chinese
// search query.
func Rewrite(in RewriteInput) ([]Message, error) {
	if in.Language == "" {
		in.Language = LanguageOf(in.Question)
	}
	data := struct {
		RewriteInput
		LanguageName string
	}{in, in.Language.Name()}
	data.Question = strings.TrimSpace(in.Question)
	return render(data, "rewrite_system.tmpl", "rewrite_user.tmpl")
}

func render(data any, system, user string) ([]Message, error) {
	var out []Message
	for _, m := range []struct{ role, name string }{{RoleSystem, system}, {RoleUser, user}} {
		var b strings.Builder
		if err := templates.ExecuteTemplate(&b, m.name, data); err != nil {
			return nil, fmt.Errorf("render %s: %w", m.name, err)
		}
		out = append(out, Message{Role: m.role, Content: strings.TrimSpace(b.String())})
	}
	return out, nil
}
