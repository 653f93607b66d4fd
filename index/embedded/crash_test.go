package embedded

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"wenda/chunk"
	"wenda/corpus"
	"wenda/embed"
	"wenda/index"
	"wenda/ingest"
)

// The crash test runs a child process that writes to an engine — puts
// that add and replace documents, deletes, and the compactions they set
// off — from several writers at once, so that puts are committed in
// groups, and kills it with SIGKILL at a random moment, over and over, on
// the same data directory. After each kill it opens the data again and
// checks that every acknowledged write is there, that each writer's one
// write in flight is wholly there or wholly not, and that every document
// is whole in every place a search can see it.

const (
	crashChildEnv = "WENDA_CRASH_CHILD_DIR"
	crashFromEnv  = "WENDA_CRASH_FROM"
	crashDocs     = 7
	// crashLanes is the number of writers; each writes documents of its
	// own, one op at a time.
	crashLanes = 3
)

// crashOp is the i-th write of a lane: a delete of its document every
// fifth time, otherwise a new version of it.
type crashOp struct {
	doc    string
	delete bool
	paras  int
}

func opAt(lane, i int) crashOp {
	r := rand.New(rand.NewPCG(uint64(i), 77+uint64(lane)))
	return crashOp{doc: fmt.Sprintf("doc-%d-%d", lane, i%crashDocs), delete: i%5 == 4, paras: 1 + r.IntN(8)}
}

// crashDoc is the document op i of a lane puts: every paragraph names the
// document and the op, so a search can tell versions apart.
func crashDoc(lane, i int) corpus.Document {
	op := opAt(lane, i)
	var b strings.Builder
	for p := range op.paras {
		fmt.Fprintf(&b, "文档%s的第%d段，版本号%s出现在这里，也出现在整段之中。%s这一段讲的是中美关系与关税问题，写得足够长以便单独成块，不与下一段合并。\n\n",
			op.doc, p, crashMarker(lane, i), strings.Repeat("补充说明的文字，", 12))
	}
	return corpus.Document{ID: op.doc, Title: "崩溃测试 " + op.doc, Text: b.String(), Hash: strconv.Itoa(i), Format: corpus.FormatPlain}
}

// crashMarker is the word that names op i of a lane in its document.
func crashMarker(lane, i int) string { return fmt.Sprintf("op%dn%d", lane, i) }

func crashEmbedder(t testing.TB) *embed.Hash {
	e, err := embed.NewHash(64)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func crashCollection(t testing.TB) index.Collection {
	return index.Collection{ID: "c", Metadata: index.Metadata{Title: "crash"}, Embedder: crashEmbedder(t).Spec(), Chunker: chunk.Config{MaxRunes: 120, OverlapRunes: 20}}
}

// TestCrashChild is the child: each lane writes its ops from its number
// in $WENDA_CRASH_FROM (comma-separated) on, printing "ack L N" after op
// N of lane L returns, until it is killed.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashChildEnv)
	if dir == "" {
		t.Skip("run by TestKillNineAtRandomPoints")
	}
	var from [crashLanes]int
	for l, f := range strings.Split(os.Getenv(crashFromEnv), ",") {
		from[l], _ = strconv.Atoi(f)
	}
	// Small logs compact too, so that kills land in compactions.
	compactMinBytes = 16 << 10
	ctx := context.Background()
	e, err := Open(ctx, dir, Options{LoadVectors: true})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	if _, _, err := ingest.Ensure(ctx, e, crashCollection(t)); err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	emb := crashEmbedder(t)
	cfg := crashCollection(t).Chunker
	var out sync.Mutex
	say := func(a ...any) {
		out.Lock()
		fmt.Println(a...)
		out.Unlock()
	}
	say("ready")
	for lane := range crashLanes {
		go func() {
			for i := from[lane]; ; i++ {
				var err error
				op := opAt(lane, i)
				if op.delete {
					err = e.Delete(ctx, "c", op.doc)
				} else {
					var en index.Entry
					en, err = ingest.Prepare(ctx, crashDoc(lane, i), cfg, emb, nil)
					if err == nil {
						err = e.Put(ctx, "c", en)
					}
				}
				if err != nil {
					say("error", err)
					os.Exit(1)
				}
				say("ack", lane, i)
			}
		}()
	}
	select {}
}

func TestKillNineAtRandomPoints(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process many times")
	}
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(20251130, uint64(time.Now().UnixNano())))
	var next [crashLanes]int // the first op of each lane the next child writes
	kills := 0
	state := map[string]int{} // document → op of its live version, as the parent knows it
	for run := 0; run < 25; run++ {
		from := make([]string, crashLanes)
		for l := range from {
			from[l] = strconv.Itoa(next[l])
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+dir, crashFromEnv+"="+strings.Join(from, ","))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		var acked [crashLanes]int
		for l := range acked {
			acked[l] = next[l] - 1
		}
		ack := func(l string) {
			var lane, n int
			if _, err := fmt.Sscanf(l, "ack %d %d", &lane, &n); err == nil {
				acked[lane] = n
			}
		}
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Wait until the child is ready, then let it write for a random
		// while — long enough, now and then, for many writes.
		deadline := time.After(30 * time.Second)
		for ready := false; !ready; {
			select {
			case l, ok := <-lines:
				if !ok || strings.HasPrefix(l, "error") {
					t.Fatalf("child did not start: %q", l)
				}
				ready = l == "ready"
			case <-deadline:
				t.Fatal("child did not start within 30 s")
			}
		}
		kill := time.After(time.Duration(r.IntN(400)) * time.Millisecond)
	writing:
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatal("child stopped by itself")
				}
				if strings.HasPrefix(l, "error") {
					t.Fatalf("child: %s", l)
				}
				ack(l)
			case <-kill:
				break writing
			}
		}
		cmd.Process.Signal(syscall.SIGKILL)
		// Acks the child printed before it died still count.
		for l := range lines {
			ack(l)
		}
		cmd.Wait()
		kills++
		var inflight [crashLanes]int
		for l := range crashLanes {
			for i := next[l]; i <= acked[l]; i++ {
				apply(state, l, i)
			}
			inflight[l] = acked[l] + 1
		}
		next = checkAfterCrash(t, dir, state, inflight)
		if t.Failed() {
			t.Fatalf("after kill %d (last acknowledged ops %v)", kills, acked)
		}
	}
	t.Logf("%d kills, %v ops written by the %d writers", kills, next, crashLanes)
}

// apply records op i of a lane in state.
func apply(state map[string]int, lane, i int) {
	if op := opAt(lane, i); op.delete {
		delete(state, op.doc)
	} else {
		state[op.doc] = i
	}
}

// checkAfterCrash opens dir as a restart would and checks it against
// state, the acknowledged writes, with each lane's op inflight possibly in
// as well. It records in state what the writes in flight did and returns
// the ops the next child starts from.
func checkAfterCrash(t *testing.T, dir string, state map[string]int, inflight [crashLanes]int) [crashLanes]int {
	t.Helper()
	ctx := context.Background()
	e, err := Open(ctx, dir, Options{LoadVectors: true})
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer e.Close()
	docs, chunks := 0, 0
	for lane := range crashLanes {
		d, c := checkLane(t, e, state, lane, inflight[lane])
		docs += d
		chunks += c
	}
	info, err := e.Collection(ctx, "c")
	if err != nil {
		t.Fatal(err)
	}
	if info.Documents != docs || info.Chunks != chunks {
		t.Errorf("counts %d documents %d chunks, the documents hold %d and %d", info.Documents, info.Chunks, docs, chunks)
	}
	var next [crashLanes]int
	for l := range next {
		next[l] = inflight[l] + 1
	}
	return next
}

// checkLane checks the documents of one lane after a crash, with its op
// inflight possibly in; it records in state what that op did, and
// returns the lane's live documents and chunks.
func checkLane(t *testing.T, e *Engine, state map[string]int, lane, inflight int) (docs, chunks int) {
	t.Helper()
	ctx := context.Background()
	before := map[string]int{}
	for d, v := range state {
		before[d] = v
	}
	after := map[string]int{}
	for d, v := range state {
		after[d] = v
	}
	apply(after, lane, inflight)
	made := false
	emb := crashEmbedder(t)
	cfg := crashCollection(t).Chunker
	for d := range crashDocs {
		id := fmt.Sprintf("doc-%d-%d", lane, d)
		got, err := e.Document(ctx, "c", id)
		live := -1
		switch {
		case errors.Is(err, index.ErrNotFound):
		case err != nil:
			t.Fatalf("document %s: %v", id, err)
		default:
			live, _ = strconv.Atoi(got.Hash)
			if got.Text != crashDoc(lane, live).Text {
				t.Errorf("%s: text is not that of op %d", id, live)
			}
		}
		want, maybe := before[id], after[id]
		if _, ok := before[id]; !ok {
			want = -1
		}
		if _, ok := after[id]; !ok {
			maybe = -1
		}
		if live == maybe && live != want {
			made = true
		}
		if live != want && live != maybe {
			t.Errorf("%s: live version from op %d; acknowledged state says %d (op %d in flight would make it %d)", id, live, want, inflight, maybe)
		}
		// Every place a search looks agrees with the catalogue.
		n := 0
		if live >= 0 {
			docs++
			en, err := ingest.Prepare(ctx, crashDoc(lane, live), cfg, emb, nil)
			if err != nil {
				t.Fatal(err)
			}
			n = len(en.Chunks)
			chunks += n
			for k, c := range en.Chunks {
				got, err := e.Chunk(ctx, "c", c.ID)
				if err != nil || got != c.Chunk {
					t.Errorf("chunk %d of %s: %v", k, id, err)
				}
			}
		}
		// Both legs, narrowed to the document, see all of the live
		// version's chunks and nothing of any other version.
		var text []rune
		if live >= 0 {
			text = []rune(crashDoc(lane, live).Text)
		}
		q := emb.Spec()
		qv := make([]float32, q.Dim)
		qv[0] = 1
		vec, err := e.Vector(ctx, "c", qv, 100, index.Filter{DocIDs: []string{id}})
		if err != nil {
			t.Fatal(err)
		}
		if len(vec) != n {
			t.Errorf("%s: the vector leg sees %d chunks, the live version has %d", id, len(vec), n)
		}
		lex, err := e.Lexical(ctx, "c", []string{"文档", "关税", crashMarker(lane, live)}, 100, index.Filter{DocIDs: []string{id}})
		if err != nil {
			t.Fatal(err)
		}
		if live >= 0 && len(lex) == 0 {
			t.Errorf("%s: the lexical leg sees nothing of it", id)
		}
		for _, h := range append(vec, lex...) {
			if h.Chunk.End > len(text) || string(text[h.Chunk.Start:h.Chunk.End]) != h.Chunk.Text {
				t.Errorf("%s: hit %s is not of the live version (op %d)", id, h.Chunk.ID, live)
			}
		}
	}
	// The version of the write in flight, when it did not make it, is
	// nowhere.
	if op := opAt(lane, inflight); !op.delete && after[op.doc] != before[op.doc] {
		if d, err := e.Document(ctx, "c", op.doc); err != nil || d.Hash != strconv.Itoa(inflight) {
			hs, err := e.Lexical(ctx, "c", []string{crashMarker(lane, inflight)}, 10, index.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(hs) > 0 {
				t.Errorf("op %d did not make it, yet its chunk %s is found", inflight, hs[0].Chunk.ID)
			}
		}
	}
	if made {
		apply(state, lane, inflight)
	}
	return docs, chunks
}
