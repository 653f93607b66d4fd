package weaviate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/go-openapi/strfmt"
	"github.com/weaviate/weaviate-go-client/v5/weaviate/filters"
	"github.com/weaviate/weaviate-go-client/v5/weaviate/graphql"
	"github.com/weaviate/weaviate/entities/models"

	"wenda/chunk"
	"wenda/corpus"
	"wenda/index"
)

// objectByID reads one object by its id; a missing object is
// ErrNotFound. An object that comes back without its key property is one
// whose deletion is in flight: a replicated cluster repairing a delete
// between its replicas has answered a lookup with the object, properties
// gone, where it answers 404 a moment later. Other errors are returned as
// they came.
func (e *Engine) objectByID(ctx context.Context, class string, id strfmt.UUID, key string) (*models.Object, error) {
	objs, err := call(ctx, e, e.client.Data().ObjectsGetter().WithClassName(class).WithID(string(id)).
		WithConsistencyLevel(e.cfg.Consistency).Do)
	if isStatus(err, 404) {
		return nil, index.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if len(objs) == 0 || propString(objs[0], key) == "" {
		return nil, index.ErrNotFound
	}
	return objs[0], nil
}

// docObject0 reads a document object whole, text included, or returns
// ErrNotFound. It is read over HTTP: a long document's text can pass the
// 4 MiB a gRPC reply may carry.
func (e *Engine) docObject0(ctx context.Context, coll, id string) (*models.Object, error) {
	o, err := e.objectByID(ctx, e.docClass(coll), objectID("doc", coll, id), pMeta)
	if errors.Is(err, index.ErrNotFound) {
		return nil, fmt.Errorf("document %s: %w", id, err)
	}
	if err != nil {
		return nil, fmt.Errorf("document %s: %w", id, e.searchError(ctx, coll, err))
	}
	return o, nil
}

// Document returns a document with its full text, or ErrNotFound.
func (e *Engine) Document(ctx context.Context, coll, id string) (corpus.Document, error) {
	o, err := e.docObject0(ctx, coll, id)
	if err != nil {
		return corpus.Document{}, err
	}
	props, _ := o.Properties.(map[string]any)
	var d corpus.Document
	if err := json.Unmarshal([]byte(propString(props, pMeta)), &d); err != nil {
		return d, fmt.Errorf("document %s: %w", id, err)
	}
	d.Text = propString(props, pText)
	return d, nil
}

// propString reads a text property from an object or a property map.
func propString(v any, name string) string {
	var props map[string]any
	switch x := v.(type) {
	case *models.Object:
		props, _ = x.Properties.(map[string]any)
	case map[string]any:
		props = x
	}
	s, _ := props[name].(string)
	return s
}

// docInfoProps are the document properties that make a DocInfo.
var docInfoProps = []string{pDocID, pGen, pHeader, pMeta, pOrigin, pChars, pNChunks, pAdded}

func decodeDocInfo(props map[string]any) (index.DocInfo, error) {
	var d index.DocInfo
	if err := json.Unmarshal([]byte(propString(props, pMeta)), &d.Document); err != nil {
		return d, fmt.Errorf("document %s: %w", propString(props, pDocID), err)
	}
	d.Text = ""
	d.Header, d.Origin = propString(props, pHeader), propString(props, pOrigin)
	d.Chars, d.Chunks = asInt(props[pChars]), asInt(props[pNChunks])
	d.Added, _ = time.Parse(time.RFC3339Nano, propString(props, pAdded))
	return d, nil
}

// listPage is how many documents one listing request returns.
const listPage = 500

// Documents returns a page of a collection's documents in id order.
func (e *Engine) Documents(ctx context.Context, coll string, p index.Page) (index.DocPage, error) {
	var out index.DocPage
	n, _, err := e.counts(ctx, coll)
	if err != nil {
		return out, e.searchError(ctx, coll, err)
	}
	out.Total = n
	want := p.Limit
	if want <= 0 {
		want = n
	}
	// Pages follow the ids (the first id after the last one seen), so
	// that any offset can be reached, not only those within Weaviate's
	// limit on offsets.
	skip, after := max(p.Offset, 0), ""
	for len(out.Documents) < want {
		s := e.client.Experimental().Search().WithCollection(e.docClass(coll)).WithProperties(docInfoProps...).
			WithSort(graphql.Sort{Path: []string{pDocID}, Order: graphql.Asc}).WithLimit(listPage).
			WithConsistencyLevel(e.cfg.Consistency)
		if after != "" {
			s = s.WithWhere(filters.Where().WithPath([]string{pDocID}).WithOperator(filters.GreaterThan).WithValueText(after))
		}
		res, err := call(ctx, e, s.Do)
		if err != nil {
			return index.DocPage{}, fmt.Errorf("list documents of %s: %w", coll, e.searchError(ctx, coll, err))
		}
		for _, r := range res {
			after = propString(r.Properties, pDocID)
			if skip > 0 {
				skip--
				continue
			}
			if len(out.Documents) == want {
				break
			}
			d, err := decodeDocInfo(r.Properties)
			if err != nil {
				return index.DocPage{}, err
			}
			out.Documents = append(out.Documents, d)
		}
		if len(res) < listPage {
			break
		}
	}
	return out, nil
}

// DocInfos returns the metadata of the named documents that exist.
func (e *Engine) DocInfos(ctx context.Context, coll string, ids []string) (map[string]index.DocInfo, error) {
	out := make(map[string]index.DocInfo, len(ids))
	for start := 0; start < len(ids); start += listPage {
		part := ids[start:min(start+listPage, len(ids))]
		res, err := call(ctx, e, e.client.Experimental().Search().WithCollection(e.docClass(coll)).WithProperties(docInfoProps...).
			WithWhere(anyDoc(part)).WithLimit(len(part)).WithConsistencyLevel(e.cfg.Consistency).Do)
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
	}
	return out, nil
}

// docGen is the version a document object names, and when it was last
// written (by the cluster's clock).
type docGen struct {
	gen     string
	updated time.Time
}

// currentGens returns the generation each existing document names.
func (e *Engine) currentGens(ctx context.Context, coll string, ids []string) (map[string]docGen, error) {
	out := make(map[string]docGen, len(ids))
	for start := 0; start < len(ids); start += listPage {
		part := ids[start:min(start+listPage, len(ids))]
		res, err := call(ctx, e, e.client.Experimental().Search().WithCollection(e.docClass(coll)).WithProperties(pDocID, pGen).
			WithMetadata(&graphql.Metadata{LastUpdateTimeUnix: true}).
			WithWhere(anyDoc(part)).WithLimit(len(part)).WithConsistencyLevel(e.cfg.Consistency).Do)
		if err != nil {
			return nil, fmt.Errorf("documents of %s: %w", coll, e.searchError(ctx, coll, err))
		}
		for _, r := range res {
			out[propString(r.Properties, pDocID)] = docGen{gen: propString(r.Properties, pGen), updated: time.UnixMilli(r.Metadata.LastUpdateTimeUnix)}
		}
	}
	return out, nil
}

// chunkProps are the chunk properties that make a chunk.Chunk.
var chunkProps = []string{pDocID, pGen, pMeta, pText}

func decodeChunk(props map[string]any) (chunk.Chunk, error) {
	var c chunk.Chunk
	if err := json.Unmarshal([]byte(propString(props, pMeta)), &c); err != nil {
		return c, fmt.Errorf("chunk object: %w", err)
	}
	c.Text = propString(props, pText)
	return c, nil
}

// Chunk returns a chunk of a document's current version, or ErrNotFound.
func (e *Engine) Chunk(ctx context.Context, coll, id string) (chunk.Chunk, error) {
	res, err := call(ctx, e, e.client.Experimental().Search().WithCollection(e.chunkClass(coll)).WithProperties(chunkProps...).
		WithWhere(filters.Where().WithPath([]string{pChunkID}).WithOperator(filters.Equal).WithValueText(id)).
		WithLimit(8).WithConsistencyLevel(e.cfg.Consistency).Do)
	if err != nil {
		return chunk.Chunk{}, fmt.Errorf("chunk %s: %w", id, e.searchError(ctx, coll, err))
	}
	for _, r := range res {
		c, err := decodeChunk(r.Properties)
		if err != nil {
			return chunk.Chunk{}, err
		}
		gens, err := e.currentGens(ctx, coll, []string{c.DocID})
		if err != nil {
			return chunk.Chunk{}, err
		}
		if gens[c.DocID].gen == propString(r.Properties, pGen) {
			return c, nil
		}
	}
	return chunk.Chunk{}, fmt.Errorf("chunk %s: %w", id, index.ErrNotFound)
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
