package embedded

import (
	"fmt"
	"slices"
	"strings"

	"wenda/chunk"
	"wenda/corpus"
	"wenda/index"
)

func (c *collection) document(id string) (corpus.Document, error) {
	// The epoch keeps the segment d points into open (see compact).
	ep := c.ep.enter()
	defer c.ep.leave(ep)
	c.mu.RLock()
	d := c.live(id)
	c.mu.RUnlock()
	if d == nil {
		return corpus.Document{}, fmt.Errorf("document %q in collection %s: %w", id, c.meta.ID, index.ErrNotFound)
	}
	d.seg.acquire()
	b, err := d.seg.readAt(d.textOff, d.textLen)
	d.seg.release()
	if err != nil {
		return corpus.Document{}, fmt.Errorf("document %s: %w", id, err)
	}
	doc := d.info.Document
	doc.Text = string(b)
	return doc, nil
}

func (c *collection) documents(p index.Page) index.DocPage {
	c.mu.RLock()
	ids := make([]string, 0, len(c.docs))
	for id, d := range c.docs {
		if !d.deleted {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	out := index.DocPage{Total: len(ids)}
	lo := min(max(p.Offset, 0), len(ids))
	hi := len(ids)
	if p.Limit > 0 {
		hi = min(lo+p.Limit, hi)
	}
	out.Documents = make([]index.DocInfo, 0, hi-lo)
	for _, id := range ids[lo:hi] {
		out.Documents = append(out.Documents, c.docs[id].info)
	}
	c.mu.RUnlock()
	return out
}

func (c *collection) docInfos(ids []string) map[string]index.DocInfo {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make(map[string]index.DocInfo, len(ids))
	for _, id := range ids {
		if d := c.live(id); d != nil {
			out[id] = d.info
		}
	}
	return out
}

func (c *collection) chunk(id string) (chunk.Chunk, error) {
	ep := c.ep.enter()
	defer c.ep.leave(ep)
	notFound := fmt.Errorf("chunk %q in collection %s: %w", id, c.meta.ID, index.ErrNotFound)
	colon := strings.LastIndexByte(id, ':')
	if colon < 0 {
		return chunk.Chunk{}, notFound
	}
	ord, err := parseUint(id[colon+1:])
	if err != nil || index.ChunkID(id[:colon], int(ord)) != id {
		return chunk.Chunk{}, notFound
	}
	c.mu.RLock()
	d := c.live(id[:colon])
	c.mu.RUnlock()
	if d == nil || ord >= uint64(len(d.chunks)) {
		return chunk.Chunk{}, notFound
	}
	return c.readChunk(d, int(ord))
}
