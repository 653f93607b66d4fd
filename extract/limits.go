package extract

import (
	"errors"
	"fmt"
	"time"
)

// Limits bound what one file may cost. Zero fields take the defaults.
type Limits struct {
	// MaxFileBytes is the largest file read at all.
	MaxFileBytes int64
	// MaxInflatedBytes bounds the bytes all members of an Office file
	// (a ZIP archive) may inflate to: a ZIP bomb stops here.
	MaxInflatedBytes int64
	// MaxPages bounds the pages of a PDF and the slides of a PPTX.
	MaxPages int
	// MaxTextBytes bounds the text one file may yield.
	MaxTextBytes int
	// MaxHTMLDepth bounds how deeply an HTML page's elements may nest, and
	// MaxHTMLElements how many it may have.
	MaxHTMLDepth    int
	MaxHTMLElements int
	// MaxPDFMemoryBytes bounds the memory of the PDF engine while it reads
	// one file: a PDF bomb's streams stop inflating here.
	MaxPDFMemoryBytes int64
	// Timeout bounds the time one file may take.
	Timeout time.Duration
}

// The default limits.
const (
	DefaultMaxFileBytes      = 64 << 20
	DefaultMaxInflatedBytes  = 256 << 20
	DefaultMaxPages          = 2000
	DefaultMaxTextBytes      = 16 << 20
	DefaultMaxHTMLDepth      = 256
	DefaultMaxHTMLElements   = 200_000
	DefaultMaxPDFMemoryBytes = 1 << 30
	DefaultTimeout           = 2 * time.Minute
)

func (l Limits) withDefaults() Limits {
	def := func(v *int64, d int64) {
		if *v <= 0 {
			*v = d
		}
	}
	defInt := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxFileBytes, DefaultMaxFileBytes)
	def(&l.MaxInflatedBytes, DefaultMaxInflatedBytes)
	def(&l.MaxPDFMemoryBytes, DefaultMaxPDFMemoryBytes)
	defInt(&l.MaxPages, DefaultMaxPages)
	defInt(&l.MaxTextBytes, DefaultMaxTextBytes)
	defInt(&l.MaxHTMLDepth, DefaultMaxHTMLDepth)
	defInt(&l.MaxHTMLElements, DefaultMaxHTMLElements)
	if l.Timeout <= 0 {
		l.Timeout = DefaultTimeout
	}
	return l
}

// The reasons a file cannot be extracted. Errors from Extract wrap one of
// them (or ErrUnsupported).
var (
	// ErrLimit: the file crosses one of the Limits (*LimitError).
	ErrLimit = errors.New("over a limit")
	// ErrBinary: a file of a text type holds binary data.
	ErrBinary = errors.New("binary file")
	// ErrEncoding: text in none of the encodings this package reads.
	ErrEncoding = errors.New("unknown text encoding")
	// ErrNoTextLayer: a PDF whose pages are images.
	ErrNoTextLayer = errors.New("no text layer")
	// ErrGarbled: a PDF whose text layer does not map to real characters.
	ErrGarbled = errors.New("garbled text layer")
	// ErrEncrypted: a PDF that needs a password to open.
	ErrEncrypted = errors.New("encrypted")
	// ErrCorrupt: a file that is not what its type says, or is damaged.
	ErrCorrupt = errors.New("damaged or malformed file")
)

// LimitError reports a file that crosses one of the Limits.
type LimitError struct {
	// What crossed the limit, for people: "the 2000-page limit".
	What string
}

func (e *LimitError) Error() string { return "over " + e.What }

func (e *LimitError) Unwrap() error { return ErrLimit }

func overLimit(format string, args ...any) error {
	return &LimitError{What: fmt.Sprintf(format, args...)}
}

// byteSize writes a byte count the way limits are stated.
func byteSize(n int64) string {
	const mib = 1 << 20
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= mib:
		return fmt.Sprintf("%.0f MiB", float64(n)/mib)
	}
	return fmt.Sprintf("%d bytes", n)
}
