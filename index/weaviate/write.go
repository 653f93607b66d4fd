package weaviate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/weaviate/weaviate-go-client/v5/weaviate/filters"
	"github.com/weaviate/weaviate/entities/models"
)

// batchSize is how many chunks go to the cluster in one request: with
// 1024-dimension vectors, a few hundred kilobytes.
const batchSize = 100

// Put adds a document with its chunks, or replaces the document of the
// same id. Weaviate has no transactions, so Put orders its writes to keep
// what a query sees whole: the new version's chunks are written under a
// generation of their own, then the document, then the previous
// generation's chunks are deleted. A query in between may find chunks of
// both versions of this one document, never of neither; a Put that fails
// halfway leaves the previous version searchable, and repeating it (the
// same entry gives the same object ids) finishes the job.
func (e *Engine) Put(ctx context.Context, coll string, ent Entry) error {
	id := ent.Doc.ID
	if id == "" {
		return errors.New("put: document without id")
	}
	if _, err := e.Collection(ctx, coll); err != nil {
		return fmt.Errorf("put %s: %w", id, err)
	}
	gen := generation(ent)
	class := chunkClass(coll)
	objs := make([]*models.Object, 0, batchSize)
	flush := func() error {
		if len(objs) == 0 {
			return nil
		}
		if err := e.batch(ctx, objs); err != nil {
			return fmt.Errorf("put %s: %w", id, err)
		}
		objs = objs[:0]
		return nil
	}
	for _, c := range ent.Chunks {
		props := map[string]any{
			pChunkID: c.ID, pDocID: id, pGen: gen, pOrdinal: c.Ordinal, pStart: c.Start, pEnd: c.End,
			pText: c.Text, pTerms: strings.Join(c.Terms, " "), pNTerms: len(c.Terms),
		}
		if c.Heading != "" {
			props[pHeading] = c.Heading
		}
		if ent.Doc.Date != "" {
			props[pDate] = ent.Doc.Date
		}
		objs = append(objs, &models.Object{
			Class: class, ID: objectID("chunk", coll, id, gen, strconv.Itoa(c.Ordinal)),
			Properties: props, Vector: c.Vector,
		})
		if len(objs) == batchSize {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	doc, err := docObject(coll, gen, ent)
	if err != nil {
		return err
	}
	if err := e.batch(ctx, []*models.Object{doc}); err != nil {
		return fmt.Errorf("put %s: %w", id, err)
	}
	stale := filters.Where().WithOperator(filters.And).WithOperands([]*filters.WhereBuilder{
		filters.Where().WithPath([]string{pDocID}).WithOperator(filters.Equal).WithValueText(id),
		filters.Where().WithPath([]string{pGen}).WithOperator(filters.NotEqual).WithValueText(gen),
	})
	if err := e.deleteWhere(ctx, class, stale); err != nil {
		return fmt.Errorf("put %s: remove previous version: %w", id, err)
	}
	return nil
}

// generation names one version of a document's entry: the same entry
// always gives the same name, a changed one another.
func generation(ent Entry) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%d\x00", ent.Doc.ID, ent.Doc.Hash, ent.Header, len(ent.Doc.Text))
	h.Write([]byte(ent.Doc.Text))
	for _, c := range ent.Chunks {
		fmt.Fprintf(h, "\x00%d:%d:%d:%s", c.Ordinal, c.Start, c.End, strings.Join(c.Terms, " "))
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

func docObject(coll, gen string, ent Entry) (*models.Object, error) {
	d := ent.Doc
	text := d.Text
	d.Text = ""
	meta, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("put %s: %w", d.ID, err)
	}
	props := map[string]any{
		pDocID: d.ID, pGen: gen, pTitle: d.Title, pHeader: ent.Header,
		pMeta: string(meta), pText: text, pNChunks: len(ent.Chunks),
	}
	if d.Date != "" {
		props[pDate] = d.Date
	}
	return &models.Object{Class: docClass(coll), ID: objectID("doc", coll, d.ID), Properties: props}, nil
}

// batch writes objects, replacing any with the same ids, and fails unless
// every one was acknowledged at the configured consistency level. The
// cluster reports some failures per object while the request as a whole
// succeeds (a replica that went away mid-write); those are retried too,
// by writing the whole batch again.
func (e *Engine) batch(ctx context.Context, objs []*models.Object) error {
	_, err := callWrite(ctx, e, func(ctx context.Context, level string) (struct{}, error) {
		// A batcher forgets its objects once done: each attempt needs its own.
		res, err := e.client.Batch().ObjectsBatcher().WithObjects(objs...).WithConsistencyLevel(level).Do(ctx)
		if err != nil {
			return struct{}{}, err
		}
		for _, r := range res {
			if r.Result != nil && r.Result.Errors != nil && len(r.Result.Errors.Error) > 0 {
				return struct{}{}, &objectError{id: string(r.ID), msg: r.Result.Errors.Error[0].Message}
			}
		}
		return struct{}{}, nil
	})
	if err != nil {
		return fmt.Errorf("write %d objects: %w", len(objs), unwrapFault(err))
	}
	return nil
}

// objectError is the cluster's refusal of one object of a batch.
type objectError struct{ id, msg string }

func (e *objectError) Error() string { return "object " + e.id + ": " + e.msg }

// Delete removes a document and its chunks. Deleting a document that is
// not there is not an error.
func (e *Engine) Delete(ctx context.Context, coll, docID string) error {
	if _, err := e.Collection(ctx, coll); err != nil {
		return fmt.Errorf("delete %s: %w", docID, err)
	}
	where := filters.Where().WithPath([]string{pDocID}).WithOperator(filters.Equal).WithValueText(docID)
	if err := e.deleteWhere(ctx, chunkClass(coll), where); err != nil {
		return fmt.Errorf("delete %s: %w", docID, err)
	}
	_, err := callWrite(ctx, e, func(ctx context.Context, level string) (struct{}, error) {
		return struct{}{}, e.client.Data().Deleter().WithClassName(docClass(coll)).WithID(string(objectID("doc", coll, docID))).
			WithConsistencyLevel(level).Do(ctx)
	})
	if err != nil && !isStatus(err, 404) {
		return fmt.Errorf("delete %s: %w", docID, unwrapFault(err))
	}
	return nil
}

// deleteWhere deletes every object of class that matches where. One
// request deletes at most the server's query limit, so it repeats until
// nothing matches.
func (e *Engine) deleteWhere(ctx context.Context, class string, where *filters.WhereBuilder) error {
	for {
		res, err := callWrite(ctx, e, func(ctx context.Context, level string) (*models.BatchDeleteResponse, error) {
			return e.client.Batch().ObjectsBatchDeleter().WithClassName(class).WithWhere(where).
				WithOutput("minimal").WithConsistencyLevel(level).Do(ctx)
		})
		if err != nil {
			return unwrapFault(err)
		}
		if res.Results == nil || res.Results.Matches == 0 {
			return nil
		}
		if res.Results.Failed > 0 {
			return fmt.Errorf("%d of %d deletes failed", res.Results.Failed, res.Results.Matches)
		}
		if res.Results.Matches < res.Results.Limit {
			return nil
		}
	}
}

// counts returns how many documents and chunks a collection holds.
func (e *Engine) counts(ctx context.Context, coll string) (docs, chunks int, err error) {
	q := fmt.Sprintf("{Aggregate{d: %s{meta{count}} c: %s{meta{count}}}}", docClass(coll), chunkClass(coll))
	var res struct {
		D []struct{ Meta struct{ Count int } } `json:"d"`
		C []struct{ Meta struct{ Count int } } `json:"c"`
	}
	if err := e.aggregate(ctx, q, &res); err != nil {
		return 0, 0, fmt.Errorf("count collection %s: %w", coll, err)
	}
	if len(res.D) > 0 {
		docs = res.D[0].Meta.Count
	}
	if len(res.C) > 0 {
		chunks = res.C[0].Meta.Count
	}
	return docs, chunks, nil
}

// aggregate runs a GraphQL Aggregate query and decodes its "Aggregate"
// object into v.
func (e *Engine) aggregate(ctx context.Context, query string, v any) error {
	r, err := call(ctx, e, e.client.GraphQL().Raw().WithQuery(query).Do)
	if err != nil {
		return unwrapFault(err)
	}
	if len(r.Errors) > 0 {
		return errors.New(r.Errors[0].Message)
	}
	js, err := json.Marshal(r.Data["Aggregate"])
	if err != nil {
		return err
	}
	return json.Unmarshal(js, v)
}
