package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"wenda/client"
	"wenda/corpus"
	"wenda/uploads/uploadstest"
)

// The crash test runs "wenda serve" as a child process: this test binary,
// re-executed with childEnv set, runs Main with the arguments in
// childArgsEnv.
const (
	childEnv     = "WENDA_TEST_CHILD"
	childArgsEnv = "WENDA_TEST_CHILD_ARGS"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		args := strings.Split(os.Getenv(childArgsEnv), "\x1f")
		os.Exit(Main(context.Background(), args, os.Stdout, os.Stderr, os.Getenv))
	}
	os.Exit(m.Run())
}

// child is a "wenda serve" process.
type child struct {
	cmd  *exec.Cmd
	addr string
	logs *lockedBuffer
}

const crashAdminKey = "crash-test-admin-key-0123456789"

// startChild starts "wenda serve" on data and waits until it is ready.
func startChild(t *testing.T, data string, extra ...string) *child {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	// No rate limit: the test sends requests as fast as it can.
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data, "--ingest-workers", "2", "--rate-limit", "0"}, extra...)
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), childEnv+"=1", childArgsEnv+"="+strings.Join(args, "\x1f"),
		"WENDA_ADMIN_KEY="+crashAdminKey, "WENDA_LOG_LEVEL=info")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, logs: &lockedBuffer{}}
	addrc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			c.logs.Write([]byte(line + "\n"))
			if m := listeningRE.FindStringSubmatch(line); m != nil && !sent {
				addrc <- m[1]
				sent = true
			}
		}
	}()
	select {
	case c.addr = <-addrc:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("the server did not start:\n%s", c.logs.String())
	}
	deadline := time.Now().Add(120 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get("http://" + c.addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return c
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill()
	t.Fatalf("the server did not become ready:\n%s", c.logs.String())
	return nil
}

// kill ends the process at once, as a power cut would: SIGKILL, no
// shutdown.
func (c *child) kill() {
	c.cmd.Process.Kill()
	c.cmd.Wait()
}

func randInt(n int) int {
	v, _ := rand.Int(rand.Reader, big.NewInt(int64(n)))
	return int(v.Int64())
}

// crashFile is one version of a file the test uploads: real article
// paragraphs between two marker words of its own, so that a search tells
// which version of which file the index holds, and whether all of it.
type crashFile struct {
	name    string
	version int
	start   string // marker word of the first paragraph
	end     string // marker word of the last
	body    []byte
}

// crashEvent is one request about a file: an upload of a version, or a
// delete (file nil). acked: the server answered it with success.
type crashEvent struct {
	file  *crashFile
	acked bool
}

var markerRE = regexp.MustCompile(`^[a-z]+$`)

func newMarker() string {
	// Latin letters only, lower case: an index term of its own.
	const letters = "bcdfghjklmnpqrstvwxz"
	b := make([]byte, 12)
	for i := range b {
		b[i] = letters[randInt(len(letters))]
	}
	return string(b)
}

// articleParagraphs are the paragraphs of the built-in articles.
func articleParagraphs(t *testing.T) []string {
	t.Helper()
	res, err := corpus.Load(corpus.Embedded(), corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range res.Documents {
		for _, p := range strings.Split(d.Body(), "\n") {
			if p = strings.TrimSpace(p); len([]rune(p)) > 40 {
				out = append(out, p)
			}
		}
	}
	return out
}

func makeFile(paras []string, name string, version int) *crashFile {
	f := &crashFile{name: name, version: version, start: newMarker(), end: newMarker()}
	n := 3 + randInt(60) // from a few paragraphs to a long document
	var b strings.Builder
	// The markers stand between spaces and Han characters: a Latin word
	// next to another across punctuation ("x：APEC") is one term.
	fmt.Fprintf(&b, "第一段 %s 开头。%s\n\n", f.start, paras[randInt(len(paras))])
	for range n {
		b.WriteString(paras[randInt(len(paras))] + "\n\n")
	}
	fmt.Fprintf(&b, "最后一段 %s 开头。%s\n", f.end, paras[randInt(len(paras))])
	f.body = []byte(b.String())
	return f
}

// TestCrashDuringIngestion uploads, replaces and deletes documents in a
// real server process and kills it with SIGKILL at random moments, again
// and again, while the uploads are being ingested. After a last restart,
// every file must be in a state its requests allow: as its last
// acknowledged request left it, or as a later request whose answer the
// kill cut off did; an acknowledged upload is ready, whole (searchable by
// its first and its last paragraph, every chunk there) and in one version
// only.
func TestCrashDuringIngestion(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a server process 24 times")
	}
	crashDuringIngestion(t, 24, 900*time.Millisecond)
}

// TestCrashDuringIngestionShared is the crash test on the deployment of
// several processes: collections in Weaviate, uploads in PostgreSQL. The
// killed process leaves its leases behind; the next one takes the jobs
// over once they run out.
func TestCrashDuringIngestionShared(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a server process 10 times")
	}
	args := append(weaviateArgs(t), "--uploads-dsn", uploadstest.PostgresDSN(t), "--ingest-lease", "3s")
	// Each upload makes more round trips to a database than to a local
	// file, so each run between kills is longer, for as many uploads.
	crashDuringIngestion(t, 10, 3*time.Second, args...)
}

// crashDuringIngestion starts "wenda serve" with extra flags, uploads
// and deletes files through it from 3 clients and kills it with SIGKILL
// at a random moment within window, kills times over; then checks that
// every acknowledged change survived, whole.
func crashDuringIngestion(t *testing.T, kills int, window time.Duration, extra ...string) {
	paras := articleParagraphs(t)
	data := t.TempDir()

	var (
		mu      sync.Mutex
		events  = map[string][]crashEvent{} // by file name, in order
		resumed int                         // restarts that found acknowledged work unfinished
	)
	ctx := context.Background()
	for round := 0; round <= kills; round++ {
		c := startChild(t, data, extra...)
		cl, err := client.New("http://"+c.addr, crashAdminKey)
		if err != nil {
			t.Fatal(err)
		}
		if col, err := cl.Collection(ctx, "default"); err == nil && col.Queued > 0 {
			resumed++
		}
		if round == kills {
			t.Logf("%d of %d restarts found jobs the kill had interrupted", resumed, kills)
			if resumed == 0 {
				t.Error("no kill landed while documents were being ingested; the test proves little")
			}
			// The last start: no kill. Check what survived.
			verifyCrash(t, c, cl, events)
			c.cmd.Process.Signal(os.Interrupt)
			c.cmd.Wait()
			return
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Each worker has files of its own, so that the requests
				// about one file are made one after the other.
				var own []string
				dir := t.TempDir()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					var name string
					del := false
					switch r := randInt(10); {
					case len(own) > 0 && r == 0:
						name, del = own[randInt(len(own))], true
					case len(own) > 0 && r < 3:
						name = own[randInt(len(own))]
					default:
						name = fmt.Sprintf("r%02d-w%d-%03d.txt", round, w, i)
						own = append(own, name)
					}
					mu.Lock()
					version := len(events[name]) + 1
					mu.Unlock()
					var ev crashEvent
					if del {
						err := cl.DeleteDocument(ctx, "default", corpus.IDFor(name))
						ev.acked = err == nil || client.IsCode(err, "document_not_found")
					} else {
						ev.file = makeFile(paras, name, version)
						p := filepath.Join(dir, name)
						os.WriteFile(p, ev.file.body, 0o644)
						up, err := cl.UploadFiles(ctx, "default", []string{p})
						ev.acked = err == nil && len(up) == 1
					}
					mu.Lock()
					events[name] = append(events[name], ev)
					mu.Unlock()
				}
			}()
		}
		time.Sleep(50*time.Millisecond + time.Duration(randInt(int(window/time.Millisecond)))*time.Millisecond)
		c.kill()
		close(stop)
		wg.Wait()
	}
}

// verifyCrash waits for the jobs to end and checks every file. The wait
// fails only when the queue stops shrinking for a minute: the backlog the
// kills leave is hundreds of documents, which under -race on a loaded
// machine took longer than any fixed deadline that was tried.
func verifyCrash(t *testing.T, c *child, cl *client.Client, events map[string][]crashEvent) {
	ctx := context.Background()
	last, moved := -1, time.Now()
	for {
		col, err := cl.Collection(ctx, "default")
		if err != nil {
			t.Fatal(err)
		}
		if col.Queued == 0 {
			break
		}
		if col.Queued != last {
			last, moved = col.Queued, time.Now()
		}
		if time.Since(moved) > time.Minute {
			t.Fatalf("%d documents still queued after the restart, none finished in a minute:\n%s", col.Queued, c.logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	base := "http://" + c.addr
	ackedUploads, present := 0, 0
	for name, evs := range events {
		id := corpus.IDFor(name)
		// The states the file may be in: that of its last acknowledged
		// request (none: absent), or of any request after it.
		last := -1
		for i, e := range evs {
			if e.acked {
				last = i
			}
		}
		allowed := map[int]bool{} // version, or 0 for absent
		if last < 0 {
			allowed[0] = true
		}
		for _, e := range evs[max(last, 0):] {
			if e.file == nil {
				allowed[0] = true
			} else {
				allowed[e.file.version] = true
			}
		}
		var versions []*crashFile
		for _, e := range evs {
			if e.file != nil {
				versions = append(versions, e.file)
			}
		}
		if last >= 0 && evs[last].file != nil {
			ackedUploads++
		}

		doc, err := cl.Document(ctx, "default", id)
		switch {
		case client.IsCode(err, "document_not_found"):
			if !allowed[0] {
				t.Errorf("%s: acknowledged, and lost (requests: %s)", id, describeEvents(evs))
			}
			for _, v := range versions {
				if len(searchMarker(t, base, v.start)) > 0 {
					t.Errorf("%s: gone, but version %d is searchable", id, v.version)
				}
			}
			continue
		case err != nil:
			t.Fatal(err)
		case doc.Status != "ready":
			t.Errorf("%s: %s (%s), want ready (requests: %s)", id, doc.Status, doc.Error, describeEvents(evs))
			continue
		}
		present++
		v := checkWhole(t, base, id, doc, versions)
		if v != nil && !allowed[v.version] {
			t.Errorf("%s: the index holds version %d; the requests allow %v (requests: %s)", id, v.version, allowed, describeEvents(evs))
		}
	}
	if ackedUploads < 50 {
		t.Errorf("only %d files had an acknowledged upload last; the test proves little", ackedUploads)
	}
	t.Logf("%d files, %d last acknowledged as uploads, %d present, every one in a state its requests allow", len(events), ackedUploads, present)
}

func describeEvents(evs []crashEvent) string {
	var parts []string
	for _, e := range evs {
		s := "delete"
		if e.file != nil {
			s = fmt.Sprintf("upload v%d", e.file.version)
		}
		if !e.acked {
			s += " (unanswered)"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// checkWhole finds which version of the file the index holds, by the
// marker words, and checks that all of it is there: both markers are
// found in that document only, and every chunk the document counts exists.
func checkWhole(t *testing.T, base, id string, doc client.Document, versions []*crashFile) *crashFile {
	t.Helper()
	var held *crashFile
	for _, v := range versions {
		hits := searchMarker(t, base, v.start)
		if len(hits) == 0 {
			continue
		}
		if held != nil {
			t.Errorf("%s: two versions searchable at once (%d and %d)", id, held.version, v.version)
		}
		held = v
		for _, h := range hits {
			if h != id {
				t.Errorf("%s: marker of version %d found in %s", id, v.version, h)
			}
		}
		if len(searchMarker(t, base, v.end)) == 0 {
			t.Errorf("%s: version %d is searchable by its first paragraph but not by its last: half-indexed", id, v.version)
		}
	}
	if held == nil {
		t.Errorf("%s: ready, but no version of it is searchable", id)
		return nil
	}
	for i := 0; i <= doc.Chunks; i++ {
		res, err := http.Get(base + "/v1/chunks/" + url.PathEscape(fmt.Sprintf("%s:%d", id, i)))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if want := i < doc.Chunks; (res.StatusCode == http.StatusOK) != want {
			t.Errorf("%s: chunk %d of %d: status %d", id, i, doc.Chunks, res.StatusCode)
		}
	}
	return held
}

// searchMarker returns the document ids of the passages that hold word.
func searchMarker(t *testing.T, base, word string) []string {
	t.Helper()
	if !markerRE.MatchString(word) {
		t.Fatalf("bad marker %q", word)
	}
	res, err := http.Get(base + "/v1/search?mode=bm25&k=20&q=" + word)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("search %s: status %d", word, res.StatusCode)
	}
	var out struct {
		Passages []struct {
			DocID string `json:"doc_id"`
			Text  string `json:"text"`
		} `json:"passages"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range out.Passages {
		if strings.Contains(strings.ToLower(p.Text), word) {
			ids = append(ids, p.DocID)
		}
	}
	return ids
}
