package extract

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/klippa-app/go-pdfium"
	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// PDFs are read by PDFium, the PDF engine of Chromium, compiled to
// WebAssembly and run by wazero: no cgo, and a file's parsing runs in a
// sandbox with its own memory limit and no file system, which a deadline
// can stop. Pure-Go readers were measured and lost on the PDFs users bring
// (Chromium's Type 3 fonts, non-embedded CJK fonts on predefined CMaps);
// bench/RESULTS.md has the figures.

// pdfEngine holds the compiled engine and a pool of instances.
type pdfEngine struct {
	pool pdfium.Pool
	// The pool is not safe to close while an instance is being made,
	// used or killed: close waits for the reads under way, which a
	// cancelled context ends at once.
	mu     sync.Mutex
	closed bool
	reads  sync.WaitGroup
}

func newPDFEngine(cacheDir string, workers int, lim Limits) (*pdfEngine, error) {
	const wasmPage = 64 << 10
	rc := wazero.NewRuntimeConfig().
		// The bundled PDFium lowers setjmp/longjmp to WebAssembly
		// exception handling.
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		WithMemoryLimitPages(uint32(min(lim.MaxPDFMemoryBytes/wasmPage, 65536))).
		WithCloseOnContextDone(true)
	if cacheDir != "" {
		if err := os.MkdirAll(cacheDir, 0o755); err != nil {
			return nil, fmt.Errorf("pdf engine cache: %w", err)
		}
		cache, err := wazero.NewCompilationCacheWithDir(cacheDir)
		if err != nil {
			return nil, fmt.Errorf("pdf engine cache %s: %w", cacheDir, err)
		}
		rc = rc.WithCompilationCache(cache)
	}
	pool, err := webassembly.Init(webassembly.Config{
		MinIdle:       0,
		MaxIdle:       workers,
		MaxTotal:      workers,
		FSConfig:      wazero.NewFSConfig(), // no file system: files are passed as bytes
		RuntimeConfig: rc,
		Stdout:        io.Discard,
		Stderr:        io.Discard,
	})
	if err != nil {
		return nil, fmt.Errorf("start pdf engine: %w", err)
	}
	return &pdfEngine{pool: pool}, nil
}

// close stops the engine once the reads under way have ended; reads
// asked for afterwards fail.
func (e *pdfEngine) close() error {
	e.mu.Lock()
	e.closed = true
	e.mu.Unlock()
	e.reads.Wait()
	return e.pool.Close()
}

// read extracts the text layer of a PDF, page by page. Each file gets a
// fresh instance of the engine (its memory is dropped afterwards), which
// is killed when ctx ends.
func (e *pdfEngine) read(ctx context.Context, raw []byte, lim Limits) (*Content, error) {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil, errors.New("pdf engine: closed")
	}
	e.reads.Add(1)
	e.mu.Unlock()
	defer e.reads.Done()

	inst, err := e.pool.GetInstanceWithContext(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("pdf engine: %w", err)
	}
	var killed atomic.Bool
	killDone := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(killDone)
		killed.Store(true)
		inst.Kill()
	})
	defer func() {
		if stop() {
			inst.Close()
		} else {
			<-killDone // the read ends when its instance is gone
		}
	}()
	c, err := readPDF(ctx, inst, raw, lim)
	if err != nil && killed.Load() {
		return nil, ctx.Err()
	}
	return c, err
}

func readPDF(ctx context.Context, inst pdfium.Pdfium, raw []byte, lim Limits) (*Content, error) {
	doc, err := inst.OpenDocument(&requests.OpenDocument{File: &raw})
	if err != nil {
		if errors.Is(err, pdfiumerrors.ErrPassword) {
			return nil, fmt.Errorf("%w: the PDF needs a password to open", ErrEncrypted)
		}
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})

	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if count.PageCount > lim.MaxPages {
		return nil, overLimit("the %d-page limit (the PDF has %d pages)", lim.MaxPages, count.PageCount)
	}
	c := &Content{Type: TypePDF, Encoding: EncUTF8, PageCount: count.PageCount, Meta: pdfMeta(inst, doc.Document)}
	var (
		st    textStats
		total int
	)
	for i := 0; i < count.PageCount; i++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		lines, err := pageLines(inst, doc.Document, i)
		if err != nil {
			if strings.Contains(err.Error(), "wasm error") {
				// The engine trapped: it ran out of memory (a PDF bomb's
				// streams) or hit a state it aborts on.
				return nil, fmt.Errorf("%w: the PDF engine stopped on page %d (out of its %s of memory, or a malformed page)", ErrCorrupt, i+1, byteSize(lim.MaxPDFMemoryBytes))
			}
			return nil, fmt.Errorf("%w: page %d: %v", ErrCorrupt, i+1, err)
		}
		text := layout(lines, &st)
		if strings.TrimSpace(text) == "" {
			st.emptyPages++
			continue
		}
		total += len(text)
		if total > lim.MaxTextBytes {
			return nil, overLimit("the %s text limit", byteSize(int64(lim.MaxTextBytes)))
		}
		c.Pages = append(c.Pages, Page{Number: i + 1, Text: text})
	}
	if err := st.verdict(count.PageCount); err != nil {
		return nil, err
	}
	for i := range c.Pages {
		c.Pages[i].Text = strings.Map(dropBad, c.Pages[i].Text)
	}
	return c, nil
}

// pdfLine is one line of a page's text with where it stands.
type pdfLine struct {
	text        string
	left        float64 // of its first character, in points from the page's left
	top, bottom float64 // of its first character, in points from the page's foot
	font        string  // of its first character
	placed      bool    // the position is known
}

// fontSample: the font of every fontSample-th line is looked up.
const fontSample = 4

// pageLines returns the lines of one page in PDFium's reading order.
func pageLines(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, index int) ([]pdfLine, error) {
	page, err := inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: doc, Index: index})
	if err != nil {
		return nil, err
	}
	defer inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: page.Page})
	tp, err := inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: requests.Page{ByReference: &page.Page}})
	if err != nil {
		return nil, err
	}
	defer inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage})
	n, err := inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
	if err != nil || n.Count <= 0 {
		return nil, err
	}
	txt, err := inst.FPDFText_GetText(&requests.FPDFText_GetText{TextPage: tp.TextPage, StartIndex: 0, Count: n.Count})
	if err != nil {
		return nil, err
	}
	runes := []rune(txt.Text)
	// Each character of the text page is one rune of its text; when they
	// disagree, positions cannot be looked up and the lines go unplaced.
	aligned := len(runes) == n.Count
	var lines []pdfLine
	start := 0
	flush := func(end int) {
		s := strings.TrimRight(string(runes[start:end]), " \t\u00a0\u3000")
		l := pdfLine{text: s}
		first := start
		for first < end && unicode.IsSpace(runes[first]) {
			first++
		}
		if aligned && first < end {
			if box, err := inst.FPDFText_GetCharBox(&requests.FPDFText_GetCharBox{TextPage: tp.TextPage, Index: first}); err == nil {
				l.left, l.top, l.bottom, l.placed = box.Left, box.Top, box.Bottom, true
			}
			// A sample of lines tells which fonts a page is set in.
			if len(lines)%fontSample == 0 {
				if fi, err := inst.FPDFText_GetFontInfo(&requests.FPDFText_GetFontInfo{TextPage: tp.TextPage, Index: first}); err == nil {
					l.font = fi.FontName
				}
			}
		}
		lines = append(lines, l)
	}
	for i := 0; i < len(runes); i++ {
		if runes[i] == '\r' || runes[i] == '\n' {
			flush(i)
			if runes[i] == '\r' && i+1 < len(runes) && runes[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
	}
	if start < len(runes) {
		flush(len(runes))
	}
	return lines, nil
}

// layout writes a page's lines as text the cleaner reads the way it reads
// any PDF extraction: a line that starts right of the text's left edge
// (a first-line indent, a centred title) starts with spaces, and a blank
// line stands where the space between two lines is clearly wider than
// between the lines of a paragraph.
func layout(lines []pdfLine, st *textStats) string {
	var (
		heights []float64
		steps   []float64
		lefts   []float64
	)
	for i, l := range lines {
		st.count(l)
		if !l.placed || strings.TrimSpace(l.text) == "" {
			continue
		}
		heights = append(heights, l.top-l.bottom)
		lefts = append(lefts, l.left)
		if i > 0 && lines[i-1].placed {
			if d := lines[i-1].bottom - l.bottom; d > 0 {
				steps = append(steps, d)
			}
		}
	}
	em := median(heights)
	step := median(steps)
	margin := percentile(lefts, 0.1)
	var b strings.Builder
	var prev *pdfLine
	for i := range lines {
		l := &lines[i]
		t := strings.TrimSpace(l.text)
		if t == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
			if prev != nil && l.placed && prev.placed && step > 0 {
				d := prev.bottom - l.bottom
				// A jump up the page is a new column or a float.
				if d > 1.3*step || d < -0.5*step {
					b.WriteByte('\n')
				}
			}
		}
		if l.placed && em > 0 && l.left-margin > 0.9*em {
			b.WriteString("  ")
		}
		b.WriteString(t)
		prev = l
	}
	return b.String()
}

func median(v []float64) float64 { return percentile(v, 0.5) }

func percentile(v []float64, p float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[int(math.Min(float64(len(s)-1), p*float64(len(s))))]
}

// cjkFontName matches the names of Chinese, Japanese and Korean fonts.
var cjkFontName = regexp.MustCompile(`(?i)song|hei|kai|ming|fang|simsun|simhei|stsong|stkaiti|msung|mhei|cjk|sourcehan|source ?han|yahei|jhenghei|mingliu|dfkai|biaukai|hiragino|pingfang|wenquanyi|wqy|ukai|uming|arphic|gothic|mincho|batang|gulim|dotum|fzs|fzh|方正|宋|黑|楷|仿宋|明`)

// textStats counts what a PDF's text layer holds, to tell real text from
// the garbage a font without a Unicode map extracts to.
type textStats struct {
	chars      int // letters, digits, punctuation
	han        int
	bad        int // private-use, replacement and control characters
	fontLines  int // lines whose font was looked up
	cjkLines   int // of them, lines set in a CJK font
	emptyPages int
}

func (s *textStats) count(l pdfLine) {
	if strings.TrimSpace(l.text) == "" {
		return
	}
	if l.font != "" {
		s.fontLines++
		if cjkFontName.MatchString(l.font) {
			s.cjkLines++
		}
	}
	for _, r := range l.text {
		switch {
		case unicode.IsSpace(r):
		case isBad(r):
			s.bad++
			s.chars++
		default:
			s.chars++
			if unicode.Is(unicode.Han, r) {
				s.han++
			}
		}
	}
}

func isBad(r rune) bool {
	return r == unicode.ReplacementChar || unicode.Is(unicode.Co, r) ||
		(unicode.IsControl(r) && !unicode.IsSpace(r)) || r == 0
}

func dropBad(r rune) rune {
	if isBad(r) {
		return -1
	}
	return r
}

// Thresholds of the garbage checks.
const (
	maxBadPDFShare   = 0.05 // of characters
	minCJKFontShare  = 0.3  // of lines, for a document to count as Chinese
	minHanShare      = 0.02 // of characters, in a document set in CJK fonts
	maxEmptyPageRate = 0.5
)

// verdict fails a PDF whose text layer is missing or garbage.
func (s *textStats) verdict(pages int) error {
	switch {
	case s.chars == 0:
		return fmt.Errorf("%w: scanned PDF, OCR is not supported", ErrNoTextLayer)
	case s.emptyPages >= 2 && float64(s.emptyPages) > maxEmptyPageRate*float64(pages):
		return fmt.Errorf("%w on %d of %d pages: scanned PDF, OCR is not supported", ErrNoTextLayer, s.emptyPages, pages)
	case float64(s.bad) > maxBadPDFShare*float64(s.chars):
		return fmt.Errorf("%w: %.0f%% of its characters are unreadable (private-use, replacement or control characters: fonts without a Unicode map)", ErrGarbled, 100*float64(s.bad)/float64(s.chars))
	case s.cjkLines > 0 && float64(s.cjkLines) >= minCJKFontShare*float64(s.fontLines) && float64(s.han) < minHanShare*float64(s.chars):
		return fmt.Errorf("%w: its fonts are Chinese, Japanese or Korean but its text has no Chinese characters (fonts without a Unicode map)", ErrGarbled)
	}
	return nil
}

// pdfMeta reads the document information dictionary.
func pdfMeta(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT) Meta {
	tags := []string{"Title", "Author", "CreationDate"}
	md, err := inst.GetMetaData(&requests.GetMetaData{Document: doc, Tags: &tags})
	if err != nil {
		return Meta{}
	}
	var m Meta
	for _, t := range md.Tags {
		v := strings.TrimSpace(t.Value)
		switch t.Tag {
		case "Title":
			if plausibleTitle(v) {
				m.Title = v
			}
		case "Author":
			if plausibleAuthor(v) {
				m.Authors = []string{v}
			}
		case "CreationDate":
			m.Created = pdfDate(v)
		}
	}
	return m
}

// Titles that producers write by themselves: "Microsoft Word - 报告.docx",
// "untitled", a file name.
var producerTitle = regexp.MustCompile(`(?i)^(?:microsoft (?:word|powerpoint|excel) - |untitled|无标题|無標題|document\d*$|文档\d*$)|\.(?:docx?|pptx?|xlsx?|pdf|html?|txt|tmp|indd|tex|dvi)$`)

// machineAuthor matches the author fields that name a computer's account
// rather than a writer.
var machineAuthor = regexp.MustCompile(`(?i)^(?:administrator|admin|user|owner|unknown|microsoft office (?:user|用户)|windows (?:user|用户)|微软用户|微軟用戶|用户|使用者|lenovo|dell|hp|asus|acer|pc|root|guest|作者)\d*$`)

func plausibleAuthor(s string) bool {
	return s != "" && len([]rune(s)) <= 60 && !machineAuthor.MatchString(s)
}

func plausibleTitle(s string) bool {
	return s != "" && len([]rune(s)) <= 200 && !producerTitle.MatchString(s)
}

// pdfDate turns "D:20231102090000+08'00'" into "2023-11-02".
func pdfDate(s string) string {
	s = strings.TrimPrefix(s, "D:")
	if len(s) < 8 {
		return ""
	}
	t, err := time.Parse("20060102", s[:8])
	if err != nil || t.Year() < 1990 {
		return ""
	}
	return t.Format("2006-01-02")
}
