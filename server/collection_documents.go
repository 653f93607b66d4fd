package server

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"wenda/index"
	"wenda/uploads"
)

// documentStatus is a document of a collection with where its ingestion
// stands. A document loaded in bulk (the built-in articles, --corpus) has
// no upload record: it is ready, named by the file it came from.
type documentStatus struct {
	ID         string         `json:"id"`
	Collection string         `json:"collection"`
	Filename   string         `json:"filename"`
	Title      string         `json:"title,omitempty"`
	Source     string         `json:"source,omitempty"`
	Date       string         `json:"date,omitempty"`
	Status     uploads.Status `json:"status"`
	// Progress goes from 0 to 1 while the document is processed.
	Progress float64 `json:"progress"`
	// Error says why the latest version failed, in words the uploader can
	// act on.
	Error string `json:"error,omitempty"`
	// ErrorCode names why with a stable code (uploads.ErrorCodes) the
	// page translates.
	ErrorCode string `json:"error_code,omitempty"`
	Chunks    int    `json:"chunks"`
	Size      int64  `json:"size,omitempty"`
	Version   int    `json:"version,omitempty"`
	// Chars is the length of the cleaned text, the unit of citation
	// offsets; 0 until the document is indexed.
	Chars    int       `json:"chars,omitempty"`
	Uploaded time.Time `json:"uploaded"`
	Updated  time.Time `json:"updated"`
}

type documentListResponse struct {
	Documents []documentStatus `json:"documents"`
	Total     int              `json:"total"`
	Offset    int              `json:"offset"`
	Limit     int              `json:"limit"`
}

// The page size of document lists.
const (
	defaultDocLimit = 50
	maxDocLimit     = 500
)

// describe joins what the upload store and the index know of a document;
// either may be nil, not both.
func describe(coll string, rec *uploads.Record, info *index.DocInfo) documentStatus {
	var d documentStatus
	if info != nil {
		d = documentStatus{
			ID: info.ID, Collection: coll, Filename: info.Path, Title: info.Title, Source: info.Source, Date: info.Date,
			Status: uploads.StatusReady, Progress: 1, Chunks: info.Chunks, Chars: info.Chars,
			Uploaded: info.Added, Updated: info.Added,
		}
	}
	if rec == nil {
		return d
	}
	d.ID, d.Collection, d.Filename = rec.ID, coll, rec.Filename
	d.Status, d.Progress, d.Error, d.ErrorCode, d.Size, d.Version = rec.Status, rec.Progress, rec.Error, rec.ErrorCode, rec.Size, rec.Version
	d.Uploaded, d.Updated = rec.Created, rec.Updated
	if rec.Status == uploads.StatusReady {
		d.Chunks = rec.Chunks
	}
	if d.Title == "" {
		d.Title = rec.Title
	}
	if info == nil {
		d.Chunks, d.Chars = 0, 0
	}
	return d
}

func documentNotFound(coll, id string) *apiError {
	return notFound("document_not_found", "collection %q has no document %q; GET /v1/collections/%s/documents lists them", coll, id, coll)
}

// pageParams reads offset and limit.
func pageParams(c *gin.Context) (offset, limit int, err error) {
	limit = defaultDocLimit
	if v, ok := c.GetQuery("offset"); ok {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 {
			return 0, 0, badRequest("invalid_page", "offset is %q; it must be a whole number, 0 or more", v)
		}
	}
	if v, ok := c.GetQuery("limit"); ok {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > maxDocLimit {
			return 0, 0, badRequest("invalid_page", "limit is %q; it must be between 1 and %d", v, maxDocLimit)
		}
	}
	return offset, limit, nil
}

// listDocuments answers GET /v1/collections/:c/documents?offset=&limit=:
// first the documents not yet in the index (queued, processing, or failed
// new uploads), oldest first, then the indexed ones by id, each with the
// status of its latest upload.
func (s *Server) listDocuments(c *gin.Context) {
	b := backendOf(c)
	coll := c.Param("c")
	if err := s.needCollection(c, b, coll); err != nil {
		s.abort(c, err)
		return
	}
	offset, limit, err := pageParams(c)
	if err != nil {
		s.abort(c, err)
		return
	}
	ctx := c.Request.Context()
	out := documentListResponse{Documents: []documentStatus{}, Offset: offset, Limit: limit}
	unindexed := 0
	if b.Uploads != nil {
		recs, n, err := b.Uploads.Unindexed(ctx, coll, offset, limit)
		if err != nil {
			s.abort(c, err)
			return
		}
		unindexed = n
		for i := range recs {
			out.Documents = append(out.Documents, describe(coll, &recs[i], nil))
		}
	}
	// The page of indexed documents; asking for none still gives the total.
	want := limit - len(out.Documents)
	page, err := b.Library.Documents(ctx, coll, index.Page{Offset: max(0, offset-unindexed), Limit: max(want, 1)})
	if err != nil {
		s.abort(c, err)
		return
	}
	out.Total = unindexed + page.Total
	for i := range page.Documents[:min(want, len(page.Documents))] {
		info := &page.Documents[i]
		var rec *uploads.Record
		if b.Uploads != nil {
			r, err := b.Uploads.Get(ctx, coll, info.ID)
			switch {
			case err == nil:
				rec = &r
			case !errors.Is(err, uploads.ErrNotFound):
				s.abort(c, err)
				return
			}
		}
		out.Documents = append(out.Documents, describe(coll, rec, info))
	}
	c.JSON(http.StatusOK, out)
}

// lookup finds a document in the upload store and the index.
func (s *Server) lookup(c *gin.Context, b *Backend, coll, id string) (*uploads.Record, *index.DocInfo, error) {
	ctx := c.Request.Context()
	var rec *uploads.Record
	if b.Uploads != nil {
		r, err := b.Uploads.Get(ctx, coll, id)
		switch {
		case err == nil:
			rec = &r
		case !errors.Is(err, uploads.ErrNotFound):
			return nil, nil, err
		}
	}
	infos, err := b.Library.DocInfos(ctx, coll, []string{id})
	if err != nil {
		return nil, nil, err
	}
	var info *index.DocInfo
	if i, ok := infos[id]; ok {
		info = &i
	}
	if rec == nil && info == nil {
		return nil, nil, documentNotFound(coll, id)
	}
	return rec, info, nil
}

// getDocument answers GET /v1/collections/:c/documents/:id.
func (s *Server) getDocument(c *gin.Context) {
	b := backendOf(c)
	coll, id := c.Param("c"), c.Param("id")
	if err := s.needCollection(c, b, coll); err != nil {
		s.abort(c, err)
		return
	}
	rec, info, err := s.lookup(c, b, coll, id)
	if err != nil {
		s.abort(c, err)
		return
	}
	c.JSON(http.StatusOK, describe(coll, rec, info))
}

// documentText answers GET /v1/collections/:c/documents/:id/text with the
// cleaned text that citations point into, as GET /v1/documents/:id does
// for the default collection.
func (s *Server) documentText(c *gin.Context) {
	b := backendOf(c)
	coll, id := c.Param("c"), c.Param("id")
	if err := s.needCollection(c, b, coll); err != nil {
		s.abort(c, err)
		return
	}
	d, err := b.Library.Document(c.Request.Context(), coll, id)
	if errors.Is(err, index.ErrNotFound) {
		rec, _, lerr := s.lookup(c, b, coll, id)
		switch {
		case lerr != nil:
			err = lerr
		case rec != nil:
			err = &apiError{http.StatusConflict, "document_not_ready",
				"document " + id + " is " + string(rec.Status) + "; its text is there once it is ready"}
		}
	}
	if err != nil {
		s.abort(c, err)
		return
	}
	c.JSON(http.StatusOK, fullDocument(&d))
}

// deleteDocument answers DELETE /v1/collections/:c/documents/:id. When it
// answers 200, no search and no answer uses the document any more.
func (s *Server) deleteDocument(c *gin.Context) {
	b := backendOf(c)
	coll, id := c.Param("c"), c.Param("id")
	if err := s.needCollection(c, b, coll); err != nil {
		s.abort(c, err)
		return
	}
	if b.Uploads == nil {
		s.abort(c, errNoCatalog)
		return
	}
	err := b.Uploads.Delete(c.Request.Context(), coll, id)
	if errors.Is(err, uploads.ErrNotFound) {
		err = documentNotFound(coll, id)
	}
	if err != nil {
		s.abort(c, err)
		return
	}
	s.logger(c).Info("document deleted", "collection", coll, "document", id)
	c.JSON(http.StatusOK, deletedResponse{Deleted: id})
}
