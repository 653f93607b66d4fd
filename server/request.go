package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"wenda/answer"
	"wenda/index"
	"wenda/retrieval"
)

// filters narrows retrieval to some articles or a date range.
type filters struct {
	DocIDs []string `json:"doc_ids,omitempty"`
	From   string   `json:"from,omitempty"` // YYYY, YYYY-MM or YYYY-MM-DD, inclusive
	To     string   `json:"to,omitempty"`
}

// decodeJSON reads exactly one JSON value from the body into v. Its errors
// say what to fix. strict rejects fields v does not have, which catches
// typos such as "questoin"; the OpenAI-compatible route is lenient because
// its clients send many fields wenda has no use for.
//
// The body must be declared application/json. A browser sends a form or
// text/plain body to any origin without asking first (no CORS preflight);
// a JSON content type it sends only to origins that allow it, so the check
// keeps other web pages from spending this server's work through their
// visitors' browsers.
func decodeJSON(r *http.Request, v any, strict bool) error {
	if err := checkJSONContentType(r); err != nil {
		return err
	}
	dec := json.NewDecoder(r.Body)
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return badRequest("invalid_json", "the body must hold one JSON object and nothing after it")
	}
	return nil
}

// errUnsupportedMediaType is the failure of a body not sent as JSON.
func errUnsupportedMediaType(got string) *apiError {
	return &apiError{http.StatusUnsupportedMediaType, "unsupported_media_type",
		"the body must be sent with Content-Type: application/json, not " + quoteOrNone(got)}
}

func quoteOrNone(s string) string {
	if s == "" {
		return "none"
	}
	return strconv.Quote(s)
}

// checkJSONContentType accepts application/json (any parameters) and, for
// an empty body, no content type at all, so that the empty body is then
// reported as such.
func checkJSONContentType(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" && r.ContentLength == 0 {
		return nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return errUnsupportedMediaType(ct)
	}
	return nil
}

func jsonError(err error) error {
	var (
		ae       *apiError
		tooLarge *http.MaxBytesError
		syntax   *json.SyntaxError
		typ      *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &ae), errors.As(err, &tooLarge):
		return err
	case errors.Is(err, io.EOF):
		return badRequest("invalid_json", `the request body is empty; send a JSON object such as {"question": "…"}`)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("invalid_json", "the JSON body ends too early; check for a missing } or \"")
	case errors.As(err, &syntax):
		return badRequest("invalid_json", "the body is not valid JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return badRequest("invalid_type", "the body must be a JSON object, not %s", typ.Value)
		}
		return badRequest("invalid_type", "field %q must be %s, not %s", typ.Field, kindName(typ.Type), typ.Value)
	case strings.Contains(err.Error(), "unknown field"):
		field := err.Error()[strings.Index(err.Error(), "unknown field")+len("unknown field "):]
		return badRequest("unknown_field", "unknown field %s; the fields are question, history, k, mode, filters, mmr, stream and collection", field)
	}
	return badRequest("invalid_json", "the body is not valid JSON")
}

func kindName(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Float64, reflect.Float32:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Pointer:
		return kindName(t.Elem())
	}
	return "another type"
}

// checkQuestion trims q and rejects what cannot be a question.
func checkQuestion(q string) (string, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return "", badRequest("empty_question", "the question is empty; send a question with some words in it")
	}
	if n := utf8.RuneCountInString(q); n > answer.MaxQuestionRunes {
		return "", badRequest("question_too_long", "the question has %d characters; the limit is %d", n, answer.MaxQuestionRunes)
	}
	return q, nil
}

// checkK accepts nil (the server's default) or 1..retrieval.MaxK.
func checkK(k *int) (int, error) {
	if k == nil {
		return 0, nil
	}
	if *k < 1 || *k > retrieval.MaxK {
		return 0, badRequest("invalid_k", "k is %d; it must be between 1 and %d", *k, retrieval.MaxK)
	}
	return *k, nil
}

func checkMode(m string) (retrieval.Mode, error) {
	mode, err := retrieval.ParseMode(m)
	if err != nil {
		return "", badRequest("unknown_mode", "mode %q is unknown; use bm25, vector or hybrid (the default)", m)
	}
	return mode, nil
}

var datePattern = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

// validDate reports whether d is YYYY, YYYY-MM or YYYY-MM-DD naming a day
// that exists: 2025-13-45 and 2025-02-30 are not dates.
func validDate(d string) bool {
	if !datePattern.MatchString(d) {
		return false
	}
	layout := map[int]string{4: "2006", 7: "2006-01", 10: "2006-01-02"}[len(d)]
	_, err := time.Parse(layout, d)
	return err == nil
}

// checkHistory rejects more earlier turns than the answer service takes,
// and turns longer than a question may be: every turn was once a question.
func checkHistory(history []string) error {
	if len(history) > answer.MaxHistoryTurns {
		return badRequest("history_too_long", "history has %d turns; the limit is %d (only the last few are used: send those)", len(history), answer.MaxHistoryTurns)
	}
	for i, h := range history {
		if n := utf8.RuneCountInString(h); n > answer.MaxQuestionRunes {
			return badRequest("turn_too_long", "history[%d] has %d characters; a turn, like a question, may have at most %d", i, n, answer.MaxQuestionRunes)
		}
	}
	return nil
}

// checkFilters rejects unknown articles and malformed dates, which would
// otherwise quietly match nothing.
func checkFilters(ctx context.Context, lib Library, coll string, f *filters) (index.Filter, error) {
	if f == nil {
		return index.Filter{}, nil
	}
	if len(f.DocIDs) > 0 {
		found, err := lib.DocInfos(ctx, coll, f.DocIDs)
		if err != nil {
			return index.Filter{}, err
		}
		for _, id := range f.DocIDs {
			if _, ok := found[id]; !ok {
				return index.Filter{}, badRequest("unknown_document", "filters.doc_ids: there is no document %q; GET /v1/documents lists them", id)
			}
		}
	}
	for _, d := range []struct{ name, v string }{{"from", f.From}, {"to", f.To}} {
		if d.v != "" && !validDate(d.v) {
			return index.Filter{}, badRequest("invalid_date", "filters.%s is %q; write a real date as YYYY, YYYY-MM or YYYY-MM-DD", d.name, d.v)
		}
	}
	if f.From != "" && f.To != "" && f.From > f.To {
		return index.Filter{}, badRequest("invalid_date", "filters.from (%s) is after filters.to (%s)", f.From, f.To)
	}
	return index.Filter{DocIDs: f.DocIDs, From: f.From, To: f.To}, nil
}

// answerRequest validates a question and its retrieval settings.
func answerRequest(ctx context.Context, lib Library, coll string, question string, history []string, k *int, mode string, f *filters) (answer.Request, error) {
	q, err := checkQuestion(question)
	if err != nil {
		return answer.Request{}, err
	}
	n, err := checkK(k)
	if err != nil {
		return answer.Request{}, err
	}
	m, err := checkMode(mode)
	if err != nil {
		return answer.Request{}, err
	}
	flt, err := checkFilters(ctx, lib, coll, f)
	if err != nil {
		return answer.Request{}, err
	}
	if err := checkHistory(history); err != nil {
		return answer.Request{}, err
	}
	return answer.Request{Collection: coll, Question: q, History: history, K: n, Mode: m, Filter: flt}, nil
}
