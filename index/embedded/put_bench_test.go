package embedded

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"wenda/corpus"
	"wenda/embed"
	"wenda/index"
	"wenda/ingest"
)

// BenchmarkPutSmall puts small documents (three paragraphs, two or three
// chunks) one per Put, from one writer and from several at once: the
// per-document fixed cost of a Put, which limits small-file uploads.
func BenchmarkPutSmall(b *testing.B) {
	for _, writers := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			ctx := context.Background()
			e, err := Open(ctx, b.TempDir(), Options{LoadVectors: true})
			if err != nil {
				b.Fatal(err)
			}
			defer e.Close()
			emb, err := embed.NewHash(1024)
			if err != nil {
				b.Fatal(err)
			}
			coll := index.Collection{ID: "c", Embedder: emb.Spec()}
			if _, err := e.CreateCollection(ctx, coll); err != nil {
				b.Fatal(err)
			}
			info, _ := e.Collection(ctx, "c")
			entries := make([]index.Entry, b.N)
			for i := range entries {
				doc := corpus.Document{ID: fmt.Sprintf("d%d", i), Title: "小文件", Format: corpus.FormatPlain,
					Text: strings.Repeat(fmt.Sprintf("第%d个文件的一段话，讲中美关系与关税问题。", i), 8) + "\n\n" +
						strings.Repeat("第二段讲的是别的事情，比如会谈和协议。", 8) + "\n\n" + strings.Repeat("第三段。", 10)}
				en, err := ingest.Prepare(ctx, doc, info.Chunker, emb, nil)
				if err != nil {
					b.Fatal(err)
				}
				entries[i] = en
			}
			b.ResetTimer()
			var wg sync.WaitGroup
			next := make(chan int)
			for range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range next {
						if err := e.Put(ctx, "c", entries[i]); err != nil {
							b.Error(err)
						}
					}
				}()
			}
			for i := range entries {
				next <- i
			}
			close(next)
			wg.Wait()
		})
	}
}
