package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"wenda/auth"
	"wenda/embed"
	"wenda/index"
	"wenda/prompts"
)

// collectionResponse is a collection as the API shows it.
type collectionResponse struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	Description string     `json:"description,omitempty"`
	Language    string     `json:"language,omitempty"`
	Examples    []string   `json:"examples"`
	Embedder    embed.Spec `json:"embedder"`
	Created     time.Time  `json:"created"`
	// Counts: documents and chunks in the index; queued (or processing)
	// and failed uploads.
	Documents int `json:"documents"`
	Chunks    int `json:"chunks"`
	Queued    int `json:"queued"`
	Failed    int `json:"failed"`
	// Quantization is how the engine compresses the collection's vectors,
	// read from the index; omitted for an engine without the setting.
	Quantization string `json:"quantization,omitempty"`
}

type collectionsResponse struct {
	Collections []collectionResponse `json:"collections"`
}

// createCollectionRequest is the body of POST /v1/collections.
type createCollectionRequest struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Language    string   `json:"language"`
	Examples    []string `json:"examples"`
}

// patchCollectionRequest is the body of PATCH /v1/collections/:c: the
// fields it has replace the collection's, the others stay.
type patchCollectionRequest struct {
	Title       *string   `json:"title"`
	Description *string   `json:"description"`
	Language    *string   `json:"language"`
	Examples    *[]string `json:"examples"`
}

var errNoCatalog = &apiError{http.StatusServiceUnavailable, "read_only",
	"this server cannot change collections or documents (its index is open read-only)"}

// catalog is the backend's catalog, or one that refuses every change.
func (b *Backend) catalog() index.Catalog {
	if b.Catalog == nil {
		return readOnlyCatalog{b.Library}
	}
	return b.Catalog
}

// readOnlyCatalog lists what a Library has and refuses changes.
type readOnlyCatalog struct{ lib Library }

func (r readOnlyCatalog) Collection(ctx context.Context, id string) (index.CollectionInfo, error) {
	return r.lib.Collection(ctx, id)
}

func (r readOnlyCatalog) Collections(ctx context.Context) ([]index.CollectionInfo, error) {
	if l, ok := r.lib.(interface {
		Collections(context.Context) ([]index.CollectionInfo, error)
	}); ok {
		return l.Collections(ctx)
	}
	info, err := r.lib.Collection(ctx, index.DefaultCollection)
	if err != nil {
		return nil, err
	}
	return []index.CollectionInfo{info}, nil
}

func (readOnlyCatalog) CreateCollection(context.Context, index.Collection) (index.CollectionInfo, error) {
	return index.CollectionInfo{}, errNoCatalog
}

func (readOnlyCatalog) SetMetadata(context.Context, string, index.Metadata) (index.CollectionInfo, error) {
	return index.CollectionInfo{}, errNoCatalog
}

func (readOnlyCatalog) DeleteCollection(context.Context, string) error { return errNoCatalog }

var errDefaultCollection = &apiError{http.StatusConflict, "default_collection",
	"the default collection cannot be deleted; delete its documents instead"}

func collectionNotFound(id string) *apiError {
	return notFound("collection_not_found", "there is no collection %q; GET /v1/collections lists them", id)
}

// collectionInfo returns the collection, or its absence as the API error.
func (s *Server) collectionInfo(c *gin.Context, b *Backend, id string) (index.CollectionInfo, error) {
	info, err := b.Library.Collection(c.Request.Context(), id)
	if errors.Is(err, index.ErrNotFound) {
		return info, collectionNotFound(id)
	}
	return info, err
}

// needCollection checks that the collection exists.
func (s *Server) needCollection(c *gin.Context, b *Backend, id string) error {
	_, err := s.collectionInfo(c, b, id)
	return err
}

// present turns a collection and its upload counts into the reply.
func (s *Server) present(ctx context.Context, b *Backend, info index.CollectionInfo) (collectionResponse, error) {
	out := collectionResponse{
		ID: info.ID, Title: info.Title, Description: info.Description, Language: info.Language,
		Examples: nonNil(info.Examples), Embedder: info.Embedder, Created: info.Created,
		Documents: info.Documents, Chunks: info.Chunks, Quantization: info.Quantization,
	}
	if b.Uploads != nil {
		n, err := b.Uploads.Count(ctx, info.ID)
		if err != nil {
			return out, err
		}
		out.Queued, out.Failed = n.Queued+n.Processing, n.Failed
	}
	return out, nil
}

// listCollections answers GET /v1/collections with the collections the
// request may read.
func (s *Server) listCollections(c *gin.Context) {
	b := backendOf(c)
	all, err := b.catalog().Collections(c.Request.Context())
	if err != nil {
		s.abort(c, err)
		return
	}
	out := collectionsResponse{Collections: []collectionResponse{}}
	for _, info := range all {
		if s.authorize(c, auth.Read, info.ID) != nil {
			continue
		}
		r, err := s.present(c.Request.Context(), b, info)
		if err != nil {
			s.abort(c, err)
			return
		}
		out.Collections = append(out.Collections, r)
	}
	c.JSON(http.StatusOK, out)
}

// getCollection answers GET /v1/collections/:c.
func (s *Server) getCollection(c *gin.Context) {
	b := backendOf(c)
	info, err := s.collectionInfo(c, b, c.Param("c"))
	if err != nil {
		s.abort(c, err)
		return
	}
	r, err := s.present(c.Request.Context(), b, info)
	if err != nil {
		s.abort(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

// createCollection answers POST /v1/collections with 201 and the new
// collection. Its embedder and chunker are the server's current ones,
// recorded with it for good.
func (s *Server) createCollection(c *gin.Context) {
	var body createCollectionRequest
	if err := decodeJSON(c.Request, &body, true); err != nil {
		s.abort(c, err)
		return
	}
	b := backendOf(c)
	if err := index.ValidateID(body.ID); err != nil {
		s.abort(c, badRequest("invalid_collection", "%v", err))
		return
	}
	if body.Title == "" {
		s.abort(c, badRequest("invalid_collection", "a collection needs a title: what a reader sees at the top of the page"))
		return
	}
	if b.NewCollection == nil {
		s.abort(c, errNoCatalog)
		return
	}
	nc, err := b.NewCollection(c.Request.Context())
	if err != nil {
		s.abort(c, err)
		return
	}
	nc.ID = body.ID
	nc.Metadata = index.Metadata{Title: body.Title, Description: body.Description, Language: body.Language, Examples: body.Examples}
	if err := nc.Metadata.Validate(); err != nil {
		s.abort(c, badRequest("invalid_collection", "%v", err))
		return
	}
	info, err := b.catalog().CreateCollection(c.Request.Context(), nc)
	if errors.Is(err, index.ErrExists) {
		s.abort(c, &apiError{http.StatusConflict, "collection_exists", "there is already a collection " + body.ID})
		return
	}
	if err != nil {
		s.abort(c, err)
		return
	}
	r, err := s.present(c.Request.Context(), b, info)
	if err != nil {
		s.abort(c, err)
		return
	}
	s.logger(c).Info("collection created", "collection", info.ID)
	c.JSON(http.StatusCreated, r)
}

// patchCollection answers PATCH /v1/collections/:c: it changes the
// metadata, never the embedder.
func (s *Server) patchCollection(c *gin.Context) {
	var body patchCollectionRequest
	if err := decodeJSON(c.Request, &body, true); err != nil {
		s.abort(c, err)
		return
	}
	b := backendOf(c)
	info, err := s.collectionInfo(c, b, c.Param("c"))
	if err != nil {
		s.abort(c, err)
		return
	}
	m := info.Metadata
	if body.Title != nil {
		m.Title = *body.Title
	}
	if body.Description != nil {
		m.Description = *body.Description
	}
	if body.Language != nil {
		m.Language = *body.Language
	}
	if body.Examples != nil {
		m.Examples = *body.Examples
	}
	if m.Title == "" {
		s.abort(c, badRequest("invalid_collection", "a collection needs a title"))
		return
	}
	if err := m.Validate(); err != nil {
		s.abort(c, badRequest("invalid_collection", "%v", err))
		return
	}
	info, err = b.catalog().SetMetadata(c.Request.Context(), info.ID, m)
	if err != nil {
		s.abort(c, err)
		return
	}
	r, err := s.present(c.Request.Context(), b, info)
	if err != nil {
		s.abort(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

type deletedResponse struct {
	Deleted string `json:"deleted"`
}

// deleteCollection answers DELETE /v1/collections/:c: its jobs stop, and
// it goes with all its documents and files.
func (s *Server) deleteCollection(c *gin.Context) {
	b := backendOf(c)
	id := c.Param("c")
	if id == index.DefaultCollection {
		s.abort(c, errDefaultCollection)
		return
	}
	if err := s.needCollection(c, b, id); err != nil {
		s.abort(c, err)
		return
	}
	drop := func(ctx context.Context) error { return b.catalog().DeleteCollection(ctx, id) }
	var err error
	if b.Uploads != nil {
		err = b.Uploads.DeleteCollection(c.Request.Context(), id, drop)
	} else {
		err = drop(c.Request.Context())
	}
	if errors.Is(err, index.ErrNotFound) {
		err = collectionNotFound(id)
	}
	if err != nil {
		s.abort(c, err)
		return
	}
	s.logger(c).Info("collection deleted", "collection", id)
	c.JSON(http.StatusOK, deletedResponse{Deleted: id})
}

var errCollectionNotFound = errors.New("collection not found")

// readCollection resolves the collection a question is asked of ("" is
// the default one) and checks that the request may read it.
func (s *Server) readCollection(c *gin.Context, b *Backend, id string) (index.CollectionInfo, error) {
	if id == "" {
		id = index.DefaultCollection
	}
	if err := s.authorize(c, auth.Read, id); err != nil {
		return index.CollectionInfo{}, err
	}
	info, err := b.Library.Collection(c.Request.Context(), id)
	if errors.Is(err, index.ErrNotFound) {
		return info, fmt.Errorf("%w: %w", collectionNotFound(id), errCollectionNotFound)
	}
	return info, err
}

// topicOf is what the LLM prompts say about a collection.
func topicOf(info index.CollectionInfo) prompts.Topic {
	return prompts.Topic{Title: info.Title, Description: info.Description, Language: info.Language}
}
