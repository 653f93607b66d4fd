package extract

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Config sets up an Extractor.
type Config struct {
	Limits Limits
	// CacheDir keeps the PDF engine's compiled machine code between runs.
	// Without one, the first PDF of every run waits for the engine to be
	// compiled (seconds); with one, only the first run ever does.
	CacheDir string
	// PDFWorkers is how many PDFs are read at once (default 2); each may
	// hold up to Limits.MaxPDFMemoryBytes.
	PDFWorkers int
}

// Extractor reads files. It is safe for concurrent use; the PDF engine is
// started on the first PDF and kept until Close.
type Extractor struct {
	cfg    Config
	limits Limits

	pdfOnce sync.Once
	pdf     *pdfEngine
	pdfErr  error
	mu      sync.Mutex
	closed  bool
}

// New returns an Extractor.
func New(cfg Config) *Extractor {
	if cfg.PDFWorkers <= 0 {
		cfg.PDFWorkers = 2
	}
	return &Extractor{cfg: cfg, limits: cfg.Limits.withDefaults()}
}

// Limits returns the limits in force, defaults filled in.
func (x *Extractor) Limits() Limits { return x.limits }

// Extract reads one file. name is the file's name (or path); it only
// matters where Detect says so. The error wraps ErrUnsupported, ErrLimit,
// ErrBinary, ErrEncoding, ErrNoTextLayer, ErrGarbled, ErrEncrypted or
// ErrCorrupt, or is ctx's.
func (x *Extractor) Extract(ctx context.Context, name string, raw []byte) (*Content, error) {
	if int64(len(raw)) > x.limits.MaxFileBytes {
		return nil, overLimit("the %s file size limit (the file is %s)", byteSize(x.limits.MaxFileBytes), byteSize(int64(len(raw))))
	}
	typ, err := Detect(name, raw)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, x.limits.Timeout)
	defer cancel()

	type result struct {
		c   *Content
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- result{err: fmt.Errorf("%w: the %s reader failed: %v", ErrCorrupt, typ, r)}
			}
		}()
		c, err := x.extract(ctx, typ, raw)
		done <- result{c, err}
	}()
	// A reader that ignores ctx is left to finish on its own: its input is
	// bounded, and the caller gets its answer in time.
	select {
	case r := <-done:
		if r.err != nil {
			return nil, r.err
		}
		if err := x.checkSize(r.c); err != nil {
			return nil, err
		}
		return r.c, nil
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, overLimit("the %s time limit", x.limits.Timeout)
		}
		return nil, ctx.Err()
	}
}

func (x *Extractor) extract(ctx context.Context, typ Type, raw []byte) (*Content, error) {
	switch typ {
	case TypeText, TypeMarkdown:
		return readText(typ, raw)
	case TypeHTML:
		return readHTML(raw, x.limits)
	case TypePDF:
		eng, err := x.pdfEngine()
		if err != nil {
			return nil, err
		}
		return eng.read(ctx, raw, x.limits)
	case TypeDOCX:
		return readDOCX(raw, x.limits)
	case TypePPTX:
		return readPPTX(raw, x.limits)
	case TypeXLSX:
		return readXLSX(raw, x.limits)
	}
	return nil, fmt.Errorf("%w: %s", ErrUnsupported, typ)
}

// checkSize fails a file whose text is over MaxTextBytes.
func (x *Extractor) checkSize(c *Content) error {
	n := len(c.Text)
	for _, p := range c.Pages {
		n += len(p.Text)
	}
	for _, b := range c.Blocks {
		n += len(b.Text)
	}
	for _, nt := range c.Notes {
		n += len(nt.Text)
	}
	if n > x.limits.MaxTextBytes {
		return overLimit("the %s text limit", byteSize(int64(x.limits.MaxTextBytes)))
	}
	return nil
}

// pdfEngine starts the PDF engine on first use.
func (x *Extractor) pdfEngine() (*pdfEngine, error) {
	x.mu.Lock()
	closed := x.closed
	x.mu.Unlock()
	if closed {
		return nil, errors.New("extractor is closed")
	}
	x.pdfOnce.Do(func() {
		x.pdf, x.pdfErr = newPDFEngine(x.cfg.CacheDir, x.cfg.PDFWorkers, x.limits)
	})
	return x.pdf, x.pdfErr
}

// WarmUp starts the PDF engine now rather than on the first PDF, so that a
// server pays the start-up while it starts, not on a user's upload.
func (x *Extractor) WarmUp() error {
	_, err := x.pdfEngine()
	return err
}

// Close stops the PDF engine, if it was started.
func (x *Extractor) Close() error {
	x.mu.Lock()
	x.closed = true
	x.mu.Unlock()
	var err error
	x.pdfOnce.Do(func() {}) // no engine is started after Close
	if x.pdf != nil {
		err = x.pdf.close()
	}
	return err
}
