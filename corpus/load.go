package corpus

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
)

// DefaultMaxFileBytes is the size limit on one article file when
// Options.MaxFileBytes is zero.
const DefaultMaxFileBytes = 8 << 20

// ErrEmptyCorpus is returned when a corpus holds no loadable document.
var ErrEmptyCorpus = errors.New("corpus has no loadable documents")

// The reasons a single file is skipped; a *FileError wraps one of them.
var (
	ErrBinary      = errors.New("binary file")
	ErrNotUTF8     = errors.New("not valid UTF-8")
	ErrNoText      = errors.New("no text")
	ErrTooLarge    = errors.New("file too large")
	ErrFrontMatter = errors.New("bad front matter")
	ErrUnread      = errors.New("cannot read file")
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

func (e *FileError) at(path string) *FileError {
	e.Path = path
	return e
}

// Options tune loading.
type Options struct {
	// MaxFileBytes skips larger files; zero means DefaultMaxFileBytes.
	MaxFileBytes int64
}

func (o Options) maxFileBytes() int64 {
	if o.MaxFileBytes > 0 {
		return o.MaxFileBytes
	}
	return DefaultMaxFileBytes
}

// Result is a loaded corpus: the documents, ordered by path, and the files
// that were skipped.
type Result struct {
	Documents []Document
	Problems  []*FileError
}

// LoadDir loads the .txt and .md files under dir, recursively.
func LoadDir(dir string, opts Options) (*Result, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("open corpus %s: %w", dir, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("open corpus %s: not a directory", dir)
	}
	res, err := Load(os.DirFS(dir), opts)
	if err != nil {
		return res, fmt.Errorf("load corpus %s: %w", dir, err)
	}
	return res, nil
}

// Load loads the .txt and .md files of fsys, recursively, skipping hidden
// files and folders. Files that cannot be articles are listed in
// Result.Problems. When no file loads, Load returns the Result, for its
// Problems, together with an error wrapping ErrEmptyCorpus.
func Load(fsys fs.FS, opts Options) (*Result, error) {
	res := &Result{}
	paths, err := articlePaths(fsys, res)
	if err != nil {
		return nil, err
	}
	for _, p := range paths {
		d, err := loadFile(fsys, p, opts.maxFileBytes())
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
	assignIDs(res.Documents)
	if len(res.Documents) == 0 {
		return res, fmt.Errorf("%w: %d article files, %d skipped", ErrEmptyCorpus, len(paths), len(res.Problems))
	}
	return res, nil
}

// articlePaths lists the article files of fsys in path order. A folder that
// cannot be read is recorded as a problem; only an unreadable root fails.
func articlePaths(fsys fs.FS, res *Result) ([]string, error) {
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
		if d.Type().IsRegular() && isArticleName(p) {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list corpus: %w", err)
	}
	sort.Strings(paths)
	return paths, nil
}

func isArticleName(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".txt", ".md":
		return true
	}
	return false
}

// loadFile reads and parses one file, refusing it unread when too large.
func loadFile(fsys fs.FS, p string, limit int64) (Document, error) {
	info, err := fs.Stat(fsys, p)
	if err != nil {
		return Document{}, &FileError{Path: p, Reason: "cannot read: " + err.Error(), Err: ErrUnread}
	}
	if info.Size() > limit {
		reason := fmt.Sprintf("%s is over the %s limit", byteSize(info.Size()), byteSize(limit))
		return Document{}, &FileError{Path: p, Reason: reason, Err: ErrTooLarge}
	}
	raw, err := fs.ReadFile(fsys, p)
	if err != nil {
		return Document{}, &FileError{Path: p, Reason: "cannot read: " + err.Error(), Err: ErrUnread}
	}
	return Parse(p, raw)
}

func byteSize(n int64) string {
	const mib = 1 << 20
	if n >= mib {
		return fmt.Sprintf("%.1f MiB", float64(n)/mib)
	}
	return fmt.Sprintf("%d bytes", n)
}
