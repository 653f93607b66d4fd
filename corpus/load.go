package corpus

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"

	"wenda/extract"
)

// DefaultMaxFileBytes is the size limit on one file when
// Options.MaxFileBytes is zero.
const DefaultMaxFileBytes = extract.DefaultMaxFileBytes

// ErrEmptyCorpus is returned when a corpus holds no loadable document.
var ErrEmptyCorpus = errors.New("corpus has no loadable documents")

// The reasons a single file is skipped; a *FileError wraps one of them.
var (
	ErrUnsupported = extract.ErrUnsupported // not a type wenda reads (an image, an archive)
	ErrBinary      = extract.ErrBinary      // binary data in a text file
	ErrEncoding    = extract.ErrEncoding    // text in an encoding wenda does not read
	ErrNoTextLayer = extract.ErrNoTextLayer // a scanned PDF
	ErrGarbled     = extract.ErrGarbled     // a PDF whose text layer is garbage
	ErrEncrypted   = extract.ErrEncrypted   // a PDF that needs a password
	ErrCorrupt     = extract.ErrCorrupt     // a damaged file
	ErrLimit       = extract.ErrLimit       // over a limit on pages, inflated bytes, time…
	ErrNoText      = errors.New("no text")
	ErrTooLarge    = errors.New("file too large")
	ErrFrontMatter = errors.New("bad front matter")
	ErrUnread      = errors.New("cannot read file")
	ErrNotRegular  = errors.New("not a regular file")
)

// FileError reports a file that was skipped and why; the rest of the corpus
// still loads.
type FileError struct {
	Path   string // relative to the corpus root
	Reason string // for people: "binary file", "over the 8 MiB limit"
	Err    error
}

func (e *FileError) Error() string { return fmt.Sprintf("load %s: %s", e.Path, e.Reason) }

func (e *FileError) Unwrap() error { return e.Err }

// fileErrorCodes name the reasons a file is skipped, in the order Code
// tries them: the first sentinel the error wraps gives the code.
var fileErrorCodes = []struct {
	err  error
	code string
}{
	{ErrUnsupported, "unsupported_file_type"},
	{ErrBinary, "binary_file"},
	{ErrEncoding, "unknown_encoding"},
	{ErrNoTextLayer, "no_text_layer"},
	{ErrGarbled, "garbled_text_layer"},
	{ErrEncrypted, "encrypted_file"},
	{ErrCorrupt, "corrupt_file"},
	{ErrTooLarge, "file_too_large"},
	{ErrLimit, "over_limit"},
	{ErrNoText, "no_text"},
	{ErrFrontMatter, "bad_front_matter"},
}

// Code names why the file was skipped with a stable snake_case string a
// program can branch on and a page can translate, where Reason is words
// for people: unsupported_file_type, binary_file, unknown_encoding,
// no_text_layer, garbled_text_layer, encrypted_file, corrupt_file,
// file_too_large, over_limit, no_text, bad_front_matter, and
// unreadable_file for anything else.
func (e *FileError) Code() string {
	for _, c := range fileErrorCodes {
		if errors.Is(e.Err, c.err) {
			return c.code
		}
	}
	return "unreadable_file"
}

// FileErrorCodes lists every code FileError.Code returns.
func FileErrorCodes() []string {
	codes := make([]string, 0, len(fileErrorCodes)+1)
	for _, c := range fileErrorCodes {
		codes = append(codes, c.code)
	}
	return append(codes, "unreadable_file")
}

func (e *FileError) at(path string) *FileError {
	e.Path = path
	return e
}

// Options tune loading.
type Options struct {
	// MaxFileBytes skips larger files unread; zero means the parser's limit.
	MaxFileBytes int64
	// Parser reads the files; nil means a parser of Load's own, with
	// default limits and no cache for the PDF engine.
	Parser *Parser
}

// Result is a loaded corpus: the documents, ordered by path, and the files
// that were skipped.
type Result struct {
	Documents []Document
	Problems  []*FileError
}

// LoadDir loads the files under dir, recursively.
func LoadDir(ctx context.Context, dir string, opts Options) (*Result, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("open corpus %s: %w", dir, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("open corpus %s: not a directory", dir)
	}
	res, err := LoadContext(ctx, os.DirFS(dir), opts)
	if err != nil {
		return res, fmt.Errorf("load corpus %s: %w", dir, err)
	}
	return res, nil
}

// Load is LoadContext without a context.
func Load(fsys fs.FS, opts Options) (*Result, error) {
	return LoadContext(context.Background(), fsys, opts)
}

// LoadContext loads the files of fsys, recursively, skipping hidden files
// and folders. Every file is either a document or a problem: files that
// cannot be documents (unsupported types, scanned PDFs, files over a
// limit…) are listed in Result.Problems with the reason. When no file
// loads, LoadContext returns the Result, for its Problems, together with
// an error wrapping ErrEmptyCorpus that names the supported types.
func LoadContext(ctx context.Context, fsys fs.FS, opts Options) (*Result, error) {
	p := opts.Parser
	if p == nil {
		p = NewParser(ParserConfig{})
		defer p.Close()
	}
	limit := opts.MaxFileBytes
	if limit <= 0 {
		limit = p.MaxFileBytes()
	}
	res := &Result{}
	paths, err := filePaths(fsys, res)
	if err != nil {
		return nil, err
	}
	for _, path := range paths {
		d, err := loadFile(ctx, fsys, p, path, limit)
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				return nil, err
			}
			res.Problems = append(res.Problems, fe)
			continue
		}
		res.Documents = append(res.Documents, d)
	}
	sort.SliceStable(res.Problems, func(i, j int) bool { return res.Problems[i].Path < res.Problems[j].Path })
	assignIDs(res.Documents)
	if len(res.Documents) == 0 {
		return res, fmt.Errorf("%w: %d files, %d skipped; supported: %s", ErrEmptyCorpus, len(paths), len(res.Problems), extract.SupportedTypes())
	}
	return res, nil
}

// filePaths lists the files of fsys in path order. A folder that cannot be
// read is recorded as a problem; only an unreadable root fails.
func filePaths(fsys fs.FS, res *Result) ([]string, error) {
	var paths []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == "." {
				return err
			}
			res.Problems = append(res.Problems, &FileError{Path: p, Reason: "cannot read: " + err.Error(), Err: ErrUnread})
			return nil
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch t := d.Type(); {
		case t.IsRegular():
			paths = append(paths, p)
		case !d.IsDir():
			// Named, so that an operator knows why it is not indexed.
			res.Problems = append(res.Problems, &FileError{Path: p, Reason: notRegular(t), Err: ErrNotRegular})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list corpus: %w", err)
	}
	sort.Strings(paths)
	return paths, nil
}

// notRegular says what a folder entry that is not a file is, and why it
// is not read.
func notRegular(t fs.FileMode) string {
	switch {
	case t&fs.ModeSymlink != 0:
		return "a symbolic link: links are not followed (a link could reach outside the folder); copy the file in instead"
	case t&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO), not a file: reading it could block forever"
	case t&fs.ModeSocket != 0:
		return "a socket, not a file"
	case t&fs.ModeDevice != 0:
		return "a device, not a file"
	}
	return "not a regular file"
}

// loadFile reads and parses one file, refusing it unread when too large.
func loadFile(ctx context.Context, fsys fs.FS, p *Parser, path string, limit int64) (Document, error) {
	info, err := fs.Stat(fsys, path)
	if err != nil {
		return Document{}, &FileError{Path: path, Reason: "cannot read: " + err.Error(), Err: ErrUnread}
	}
	if info.Size() > limit {
		reason := fmt.Sprintf("%s is over the %s limit", byteSize(info.Size()), byteSize(limit))
		return Document{}, &FileError{Path: path, Reason: reason, Err: ErrTooLarge}
	}
	raw, err := fs.ReadFile(fsys, path)
	if err != nil {
		return Document{}, &FileError{Path: path, Reason: "cannot read: " + err.Error(), Err: ErrUnread}
	}
	return p.Parse(ctx, path, raw)
}

func byteSize(n int64) string {
	const mib = 1 << 20
	if n >= mib {
		return fmt.Sprintf("%.1f MiB", float64(n)/mib)
	}
	return fmt.Sprintf("%d bytes", n)
}
