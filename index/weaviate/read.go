package weaviate

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/weaviate/weaviate-go-client/v5/weaviate/filters"
	"github.com/weaviate/weaviate-go-client/v5/weaviate/graphql"
	"github.com/weaviate/weaviate/entities/models"

	"wenda/chunk"
	"wenda/corpus"
)

// Document returns a document with its full text, or ErrNotFound. It is
// read over HTTP: a long document's text can pass the 4 MiB a gRPC reply
// may carry.
func (e *Engine) Document(ctx context.Context, coll, id string) (corpus.Document, error) {
	objs, err := call(ctx, e, e.client.Data().ObjectsGetter().WithClassName(docClass(coll)).WithID(string(objectID("doc", coll, id))).
		WithConsistencyLevel(e.cfg.Consistency).Do)
	if err != nil {
		if isStatus(err, 404) {
			return corpus.Document{}, fmt.Errorf("document %s: %w", id, ErrNotFound)
		}
		return corpus.Document{}, fmt.Errorf("document %s: %w", id, unwrapFault(err))
	}
	if len(objs) == 0 {
		return corpus.Document{}, fmt.Errorf("document %s: %w", id, ErrNotFound)
	}
	return decodeDocument(objs[0])
}

func decodeDocument(o *models.Object) (corpus.Document, error) {
	props, _ := o.Properties.(map[string]any)
	var d corpus.Document
	meta, _ := props[pMeta].(string)
	if err := json.Unmarshal([]byte(meta), &d); err != nil {
		return d, fmt.Errorf("document object %s: %w", o.ID, err)
	}
	d.Text, _ = props[pText].(string)
	return d, nil
}

// docInfoProps are the document properties that make a DocInfo.
var docInfoProps = []string{pDocID, pTitle, pHeader, pMeta, pNChunks}

func decodeDocInfo(props map[string]any) (DocInfo, error) {
	var d corpus.Document
	meta, _ := props[pMeta].(string)
	if err := json.Unmarshal([]byte(meta), &d); err != nil {
		return DocInfo{}, fmt.Errorf("document %v: %w", props[pDocID], err)
	}
	header, _ := props[pHeader].(string)
	return DocInfo{
		ID: d.ID, Title: d.Title, Authors: d.Authors, Source: d.Source, Date: d.Date,
		Header: header, Chunks: asInt(props[pNChunks]),
	}, nil
}

// Documents lists a collection's documents in id order, a page at a time:
// the page after p.After (an id; "" for the first), at most p.Limit long
// (0 means 100). Next is the id to pass as After for the next page, or ""
// after the last.
func (e *Engine) Documents(ctx context.Context, coll string, p Page) (DocPage, error) {
	limit := p.Limit
	if limit <= 0 {
		limit = 100
	}
	s := e.client.Experimental().Search().WithCollection(docClass(coll)).WithProperties(docInfoProps...).
		WithSort(graphql.Sort{Path: []string{pDocID}, Order: graphql.Asc}).WithLimit(limit + 1).
		WithConsistencyLevel(e.cfg.Consistency)
	if p.After != "" {
		s = s.WithWhere(filters.Where().WithPath([]string{pDocID}).WithOperator(filters.GreaterThan).WithValueText(p.After))
	}
	res, err := call(ctx, e, s.Do)
	if err != nil {
		return DocPage{}, fmt.Errorf("list documents of %s: %w", coll, e.searchError(ctx, coll, err))
	}
	var out DocPage
	for i, r := range res {
		if i == limit {
			out.Next = out.Docs[len(out.Docs)-1].ID
			break
		}
		d, err := decodeDocInfo(r.Properties)
		if err != nil {
			return DocPage{}, err
		}
		out.Docs = append(out.Docs, d)
	}
	return out, nil
}

// DocInfos returns the metadata of the named documents that exist.
func (e *Engine) DocInfos(ctx context.Context, coll string, ids []string) (map[string]DocInfo, error) {
	out := make(map[string]DocInfo, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	res, err := call(ctx, e, e.client.Experimental().Search().WithCollection(docClass(coll)).WithProperties(docInfoProps...).
		WithWhere(filters.Where().WithPath([]string{pDocID}).WithOperator(filters.ContainsAny).WithValueText(ids...)).
		WithLimit(len(ids)).WithConsistencyLevel(e.cfg.Consistency).Do)
	if err != nil {
		return nil, fmt.Errorf("documents of %s: %w", coll, e.searchError(ctx, coll, err))
	}
	for _, r := range res {
		d, err := decodeDocInfo(r.Properties)
		if err != nil {
			return nil, err
		}
		out[d.ID] = d
	}
	return out, nil
}

// chunkProps are the chunk properties that make a chunk.Chunk.
var chunkProps = []string{pChunkID, pDocID, pOrdinal, pStart, pEnd, pHeading, pText}

func decodeChunk(props map[string]any) chunk.Chunk {
	c := chunk.Chunk{
		Ordinal: asInt(props[pOrdinal]), Start: asInt(props[pStart]), End: asInt(props[pEnd]),
	}
	c.ID, _ = props[pChunkID].(string)
	c.DocID, _ = props[pDocID].(string)
	c.Heading, _ = props[pHeading].(string)
	c.Text, _ = props[pText].(string)
	return c
}

// Chunk returns a chunk by id ("<doc id>:<ordinal>"), or ErrNotFound.
func (e *Engine) Chunk(ctx context.Context, coll, id string) (chunk.Chunk, error) {
	res, err := call(ctx, e, e.client.Experimental().Search().WithCollection(chunkClass(coll)).WithProperties(chunkProps...).
		WithWhere(filters.Where().WithPath([]string{pChunkID}).WithOperator(filters.Equal).WithValueText(id)).
		WithLimit(1).WithConsistencyLevel(e.cfg.Consistency).Do)
	if err != nil {
		return chunk.Chunk{}, fmt.Errorf("chunk %s: %w", id, e.searchError(ctx, coll, err))
	}
	if len(res) == 0 {
		return chunk.Chunk{}, fmt.Errorf("chunk %s: %w", id, ErrNotFound)
	}
	return decodeChunk(res[0].Properties), nil
}

// asInt reads a number property, which arrives as float64 over HTTP and
// int64 or float64 over gRPC.
func asInt(v any) int {
	switch x := v.(type) {
	case float64:
		return int(x)
	case int64:
		return int(x)
	case int:
		return x
	case json.Number:
		n, _ := x.Int64()
		return int(n)
	}
	return 0
}
