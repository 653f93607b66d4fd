package server

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"wenda/corpus"
	"wenda/extract"
	"wenda/uploads"
)

// Uploads takes uploaded files in and tracks their documents;
// *uploads.Manager is the real one.
type Uploads interface {
	SaveBlob(ctx context.Context, coll string, r io.Reader, limit int64) (uploads.Blob, error)
	DropBlob(ctx context.Context, coll, hash string) error
	Accept(ctx context.Context, coll string, u uploads.Upload, baseID string) (uploads.Record, bool, error)
	Get(ctx context.Context, coll, id string) (uploads.Record, error)
	Unindexed(ctx context.Context, coll string, offset, limit int) ([]uploads.Record, int, error)
	Count(ctx context.Context, coll string) (uploads.Counts, error)
	Delete(ctx context.Context, coll, id string) error
	DeleteCollection(ctx context.Context, coll string, drop func(context.Context) error) error
}

var _ Uploads = (*uploads.Manager)(nil)

// UploadLimits bound what one upload request may bring. Zero values select
// the defaults.
type UploadLimits struct {
	// MaxFileBytes bounds one file; default 64 MiB.
	MaxFileBytes int64
	// MaxFiles bounds the files of one request; default 100.
	MaxFiles int
	// MaxRequestBytes bounds the whole request body; default 256 MiB.
	MaxRequestBytes int64
	// Timeout bounds the time to receive and store the files; default
	// 10 min, for large files on slow links.
	Timeout time.Duration
}

func (l UploadLimits) withDefaults() UploadLimits {
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = 64 << 20
	}
	if l.MaxFiles <= 0 {
		l.MaxFiles = 100
	}
	if l.MaxRequestBytes <= 0 {
		l.MaxRequestBytes = 256 << 20
	}
	if l.Timeout <= 0 {
		l.Timeout = 10 * time.Minute
	}
	return l
}

// uploadRoute is the one route whose body may be larger than
// Options.MaxBodyBytes.
const uploadRoute = "/v1/collections/:c/documents"

// uploadedDocument is one file of an upload's 202 reply.
type uploadedDocument struct {
	ID       string         `json:"id"`
	Filename string         `json:"filename"`
	Status   uploads.Status `json:"status"`
	Version  int            `json:"version"`
	// Duplicate is set when identical bytes were already in the
	// collection: nothing new was queued.
	Duplicate bool `json:"duplicate,omitempty"`
}

type uploadResponse struct {
	Documents []uploadedDocument `json:"documents"`
}

// Errors of uploads; the codes are on the board for the page.
var (
	errNotMultipart = &apiError{http.StatusUnsupportedMediaType, "unsupported_media_type",
		`send the files as multipart/form-data, one "file" part per file (curl -F file=@report.txt)`}
	errNoFiles  = badRequest("no_files", `the upload has no files; send one "file" part per file (curl -F file=@report.txt)`)
	errDiskFull = &apiError{http.StatusInsufficientStorage, "disk_full",
		"the server's disk is full; nothing of this upload was kept. Try again after the operator frees space"}
)

// formFields are the optional text fields of an upload.
var formFields = map[string]int{"title": 200, "source": 200, "date": 10}

// upload answers POST /v1/collections/:c/documents: it stores every file
// of the multipart body durably, then records the uploads and queues their
// jobs, and answers 202 only when all of that is on disk. A request that
// fails part-way acknowledges nothing.
func (s *Server) upload(c *gin.Context) {
	b := backendOf(c)
	coll := c.Param("c")
	if err := s.needCollection(c, b, coll); err != nil {
		s.abort(c, err)
		return
	}
	if b.Uploads == nil {
		s.abort(c, errNoCatalog)
		return
	}
	ctx := c.Request.Context()
	// Large files on slow links need more than the server's read timeout.
	_ = http.NewResponseController(c.Writer).SetReadDeadline(time.Now().Add(s.opts.Upload.Timeout))

	mr, err := multipartReader(c.Request)
	if err != nil {
		s.abort(c, err)
		return
	}
	var (
		files  []uploads.Upload
		fields = map[string]string{}
		stored []uploads.Blob
	)
	// Whatever was stored is dropped when the request fails.
	defer func() {
		if c.Writer.Status() != http.StatusAccepted {
			for _, bl := range stored {
				if err := b.Uploads.DropBlob(context.WithoutCancel(ctx), coll, bl.Hash); err != nil {
					s.logger(c).Warn("drop refused upload", "err", err)
				}
			}
		}
	}()
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			s.abort(c, uploadReadError(err))
			return
		}
		name := part.FormName()
		switch {
		case name == "file":
			if len(files) == s.opts.Upload.MaxFiles {
				s.abort(c, &apiError{http.StatusRequestEntityTooLarge, "too_many_files",
					fmt.Sprintf("an upload may hold at most %d files; send the rest in another request", s.opts.Upload.MaxFiles)})
				return
			}
			u, err := s.receiveFile(ctx, b.Uploads, coll, part)
			if err != nil {
				s.abort(c, err)
				return
			}
			stored = append(stored, u.Blob)
			files = append(files, u)
		case formFields[name] > 0:
			v, err := readField(part, name, formFields[name])
			if err != nil {
				s.abort(c, err)
				return
			}
			fields[name] = v
		default:
			s.abort(c, badRequest("invalid_upload", "unknown form field %q; the fields are file (one per file), title, source and date", name))
			return
		}
	}
	if len(files) == 0 {
		s.abort(c, errNoFiles)
		return
	}
	if fields["title"] != "" && len(files) > 1 {
		s.abort(c, badRequest("invalid_upload", "a title names one document; send files with titles one at a time"))
		return
	}
	if d := fields["date"]; d != "" && !validDate(d) {
		s.abort(c, badRequest("invalid_date", "date %q: use YYYY, YYYY-MM or YYYY-MM-DD", d))
		return
	}
	out := uploadResponse{Documents: make([]uploadedDocument, 0, len(files))}
	for _, u := range files {
		u.Title, u.Source, u.Date = fields["title"], fields["source"], fields["date"]
		rec, queued, err := b.Uploads.Accept(ctx, coll, u, corpus.IDFor(u.Filename))
		switch {
		case errors.Is(err, uploads.ErrNoCollection):
			s.abort(c, collectionNotFound(coll))
			return
		case errors.Is(err, uploads.ErrClosed):
			c.Header("Retry-After", "5")
			s.abort(c, &apiError{http.StatusServiceUnavailable, "shutting_down", "the server is shutting down; send the upload again in a moment"})
			return
		case err != nil:
			s.abort(c, uploadReadError(err))
			return
		}
		out.Documents = append(out.Documents, uploadedDocument{
			ID: rec.ID, Filename: rec.Filename, Status: rec.Status, Version: rec.Version, Duplicate: !queued,
		})
	}
	s.logger(c).Info("upload accepted", "collection", coll, "files", len(files))
	c.JSON(http.StatusAccepted, out)
}

// receiveFile stores one file part, after checking its name and that its
// first bytes are of a type wenda reads.
func (s *Server) receiveFile(ctx context.Context, up Uploads, coll string, part *multipart.Part) (uploads.Upload, error) {
	name, err := cleanFilename(part.FileName())
	if err != nil {
		return uploads.Upload{}, err
	}
	br := bufio.NewReaderSize(part, sniffLen)
	head, err := br.Peek(sniffLen)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return uploads.Upload{}, uploadReadError(err)
	}
	if len(head) == 0 {
		return uploads.Upload{}, badRequest("empty_file", "%s is empty", name)
	}
	if err := s.opts.DetectType(name, head); err != nil {
		return uploads.Upload{}, &apiError{http.StatusUnsupportedMediaType, "unsupported_file_type", err.Error()}
	}
	blob, err := up.SaveBlob(ctx, coll, br, s.opts.Upload.MaxFileBytes)
	if errors.Is(err, uploads.ErrTooLarge) {
		return uploads.Upload{}, &apiError{http.StatusRequestEntityTooLarge, "file_too_large",
			fmt.Sprintf("%s is larger than the %d MiB a file may have", name, s.opts.Upload.MaxFileBytes>>20)}
	}
	if err != nil {
		return uploads.Upload{}, uploadReadError(err)
	}
	return uploads.Upload{Filename: name, Blob: blob}, nil
}

// sniffLen is how much of a file its type is told from.
const sniffLen = extract.SniffLen

// detectType refuses a file of a type wenda cannot read, by its name and
// first bytes.
func detectType(name string, head []byte) error {
	_, err := extract.Detect(name, head)
	return err
}

// multipartReader checks that the request is multipart/form-data.
func multipartReader(r *http.Request) (*multipart.Reader, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return nil, errNotMultipart
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errNotMultipart
	}
	return mr, nil
}

// uploadReadError says what went wrong while the body was read or stored.
func uploadReadError(err error) error {
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return &apiError{http.StatusRequestEntityTooLarge, "body_too_large",
			fmt.Sprintf("the upload is larger than the %d MiB a request may have; send the files in several requests", tooLarge.Limit>>20)}
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return errDiskFull
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return err
	case errors.Is(err, io.ErrUnexpectedEOF), strings.HasPrefix(err.Error(), "multipart:"):
		return badRequest("invalid_upload", "the multipart body is cut short or malformed; send it again")
	}
	return err
}

// readField reads a short text field.
func readField(part io.Reader, name string, maxRunes int) (string, error) {
	b, err := io.ReadAll(io.LimitReader(part, int64(maxRunes*4+1)))
	if err != nil {
		return "", uploadReadError(err)
	}
	v := strings.TrimSpace(string(b))
	if !utf8.ValidString(v) || utf8.RuneCountInString(v) > maxRunes || strings.ContainsFunc(v, unicode.IsControl) {
		return "", badRequest("invalid_upload", "field %s must be one line of at most %d characters", name, maxRunes)
	}
	return v, nil
}

// cleanFilename keeps the last element of the name a client sent, which
// may hold a path (some browsers send one), and refuses names that cannot
// name a document.
func cleanFilename(raw string) (string, error) {
	name := raw
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(name)
	switch {
	case name == "" || name == "." || name == "..":
		return "", badRequest("invalid_filename", "each file part needs a file name (filename=\"report.txt\" in its Content-Disposition)")
	case !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl):
		return "", badRequest("invalid_filename", "the file name %q has control characters or is not UTF-8", raw)
	case len(name) > 255:
		return "", badRequest("invalid_filename", "the file name is longer than 255 bytes")
	}
	return name, nil
}
