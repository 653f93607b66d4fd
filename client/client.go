package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Client calls one wenda server. The zero value is not usable; use New.
type Client struct {
	base string
	key  string
	http *http.Client
}

// New returns a client of the server at baseURL (such as
// http://localhost:8080), sending key, when not empty, as a bearer token.
func New(baseURL, key string) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("server URL %q: want http://host:port", baseURL)
	}
	return &Client{base: u.String(), key: key, http: &http.Client{}}, nil
}

// Error is an error the server answered with.
type Error struct {
	Status  int
	Code    string
	Message string
	// retryAfter is how long the server asked to wait before trying again.
	retryAfter time.Duration
}

func (e *Error) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("server answered %d", e.Status)
	}
	return fmt.Sprintf("%s (%d %s)", e.Message, e.Status, e.Code)
}

// IsCode reports whether err is the server's error with the given code.
func IsCode(err error, code string) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// Collection is a collection as the server describes it.
type Collection struct {
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	Description string    `json:"description,omitempty"`
	Language    string    `json:"language,omitempty"`
	Examples    []string  `json:"examples,omitempty"`
	Documents   int       `json:"documents"`
	Chunks      int       `json:"chunks"`
	Queued      int       `json:"queued"`
	Failed      int       `json:"failed"`
	Created     time.Time `json:"created"`
	// Quantization is how the engine compresses the collection's vectors
	// ("none", "bq", …), as read from the index; empty for an engine that
	// has no such setting.
	Quantization string `json:"quantization,omitempty"`
}

// NewCollection is what creating a collection takes.
type NewCollection struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Language    string   `json:"language,omitempty"`
	Examples    []string `json:"examples,omitempty"`
}

// Document is a document of a collection with its ingestion status.
type Document struct {
	ID         string    `json:"id"`
	Collection string    `json:"collection"`
	Filename   string    `json:"filename,omitempty"`
	Title      string    `json:"title,omitempty"`
	Status     string    `json:"status"`
	Progress   float64   `json:"progress"`
	Error      string    `json:"error,omitempty"`
	ErrorCode  string    `json:"error_code,omitempty"`
	Chunks     int       `json:"chunks"`
	Size       int64     `json:"size,omitempty"`
	Version    int       `json:"version,omitempty"`
	Updated    time.Time `json:"updated"`
}

// Done reports whether the document's ingestion has ended, well or not.
func (d Document) Done() bool { return d.Status == "ready" || d.Status == "failed" }

// DocumentPage is one page of a collection's documents.
type DocumentPage struct {
	Documents []Document `json:"documents"`
	Total     int        `json:"total"`
}

// Uploaded is one file of an accepted upload.
type Uploaded struct {
	ID        string `json:"id"`
	Filename  string `json:"filename"`
	Status    string `json:"status"`
	Version   int    `json:"version"`
	Duplicate bool   `json:"duplicate,omitempty"`
}

// Collections lists the collections the key may read.
func (c *Client) Collections(ctx context.Context) ([]Collection, error) {
	var out struct {
		Collections []Collection `json:"collections"`
	}
	err := c.send(ctx, http.MethodGet, "/v1/collections", nil, &out)
	return out.Collections, err
}

// Collection returns one collection with its counts.
func (c *Client) Collection(ctx context.Context, id string) (Collection, error) {
	var out Collection
	err := c.send(ctx, http.MethodGet, "/v1/collections/"+url.PathEscape(id), nil, &out)
	return out, err
}

// CreateCollection creates a collection.
func (c *Client) CreateCollection(ctx context.Context, nc NewCollection) (Collection, error) {
	var out Collection
	err := c.doJSON(ctx, http.MethodPost, "/v1/collections", nc, &out)
	return out, err
}

// DeleteCollection deletes a collection with all its documents.
func (c *Client) DeleteCollection(ctx context.Context, id string) error {
	return c.send(ctx, http.MethodDelete, "/v1/collections/"+url.PathEscape(id), nil, nil)
}

// Document returns one document's status.
func (c *Client) Document(ctx context.Context, coll, id string) (Document, error) {
	var out Document
	err := c.send(ctx, http.MethodGet, "/v1/collections/"+url.PathEscape(coll)+"/documents/"+url.PathEscape(id), nil, &out)
	return out, err
}

// Documents returns a page of a collection's documents.
func (c *Client) Documents(ctx context.Context, coll string, offset, limit int) (DocumentPage, error) {
	var out DocumentPage
	q := url.Values{"offset": {strconv.Itoa(offset)}, "limit": {strconv.Itoa(limit)}}
	err := c.send(ctx, http.MethodGet, "/v1/collections/"+url.PathEscape(coll)+"/documents?"+q.Encode(), nil, &out)
	return out, err
}

// DeleteDocument deletes a document; when it returns, no answer uses it.
func (c *Client) DeleteDocument(ctx context.Context, coll, id string) error {
	return c.send(ctx, http.MethodDelete, "/v1/collections/"+url.PathEscape(coll)+"/documents/"+url.PathEscape(id), nil, nil)
}

// UploadFiles uploads files from disk in one request, streaming them
// without holding them in memory.
func (c *Client) UploadFiles(ctx context.Context, coll string, paths []string) ([]Uploaded, error) {
	var out struct {
		Documents []Uploaded `json:"documents"`
	}
	body := func() (io.Reader, string) {
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		go func() { pw.CloseWithError(writeParts(mw, paths)) }()
		return pr, mw.FormDataContentType()
	}
	err := c.send(ctx, http.MethodPost, "/v1/collections/"+url.PathEscape(coll)+"/documents", body, &out)
	return out.Documents, err
}

func writeParts(mw *multipart.Writer, paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", mime("file", filepath.Base(p)))
		h.Set("Content-Type", "application/octet-stream")
		w, err := mw.CreatePart(h)
		if err == nil {
			_, err = io.Copy(w, f)
		}
		f.Close()
		if err != nil {
			return err
		}
	}
	return mw.Close()
}

// mime is a form-data Content-Disposition whose file name keeps its
// non-ASCII characters as UTF-8, as browsers send them.
func mime(field, filename string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", "", "\n", "")
	return fmt.Sprintf(`form-data; name="%s"; filename="%s"`, field, r.Replace(filename))
}

func (c *Client) doJSON(ctx context.Context, method, path string, in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return c.send(ctx, method, path, func() (io.Reader, string) { return bytes.NewReader(b), "application/json" }, out)
}

// maxRetries bounds how often a request the server turned away for now
// (429, or 503 with Retry-After) is sent again.
const maxRetries = 8

// send makes a request, with a body made afresh for each attempt, and
// waits as long as the server asks when it says to come back later.
func (c *Client) send(ctx context.Context, method, path string, body func() (io.Reader, string), out any) error {
	for attempt := 0; ; attempt++ {
		err := c.once(ctx, method, path, body, out)
		var e *Error
		if !errors.As(err, &e) || e.retryAfter <= 0 || attempt == maxRetries {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(e.retryAfter):
		}
	}
}

func (c *Client) once(ctx context.Context, method, path string, body func() (io.Reader, string), out any) error {
	var rd io.Reader
	var contentType string
	if body != nil {
		rd, contentType = body()
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	req.Header.Set("Accept", "application/json")
	res, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, c.base+path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, c.base+path, err)
	}
	if res.StatusCode >= 300 {
		e := &Error{Status: res.StatusCode}
		if res.StatusCode == http.StatusTooManyRequests || res.StatusCode == http.StatusServiceUnavailable {
			if secs, err := strconv.Atoi(res.Header.Get("Retry-After")); err == nil && secs >= 0 {
				e.retryAfter = min(time.Duration(secs)*time.Second+100*time.Millisecond, 30*time.Second)
			}
		}
		var body struct {
			Error struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		if json.Unmarshal(data, &body) == nil {
			e.Code, e.Message = body.Error.Code, body.Error.Message
		}
		return e
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s %s: the reply is not the JSON expected: %w", method, c.base+path, err)
	}
	return nil
}
