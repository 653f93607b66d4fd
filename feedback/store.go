package feedback

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// FileName is the name of the feedback file in the data directory.
const FileName = "feedback.jsonl"

// DefaultMaxBytes bounds the feedback file: past it, new feedback is
// refused rather than filling the disk.
const DefaultMaxBytes = 64 << 20

// ErrFull is returned by Add when the file has reached its size limit.
var ErrFull = errors.New("feedback file is full")

// Store appends entries to one JSON Lines file. It is safe for concurrent
// use.
type Store struct {
	path string
	max  int64

	mu   sync.Mutex
	f    *os.File
	size int64
	now  func() time.Time
}

// Open opens or creates the feedback file at path, holding at most
// maxBytes (DefaultMaxBytes when zero or negative). A line cut short by a
// crash was never acknowledged; Open removes it so that every line of the
// file is a whole entry.
func Open(path string, maxBytes int64) (*Store, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("open feedback: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open feedback: %w", err)
	}
	size, err := repair(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open feedback %s: %w", path, err)
	}
	return &Store{path: path, max: maxBytes, f: f, size: size, now: time.Now}, nil
}

// repair truncates f after its last newline and returns its size.
func repair(f *os.File) (int64, error) {
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	size := st.Size()
	if size == 0 {
		return 0, nil
	}
	// Look back for the last newline, a block at a time.
	const block = 64 << 10
	buf := make([]byte, block)
	end := size
	for end > 0 {
		start := max(0, end-block)
		n, err := f.ReadAt(buf[:end-start], start)
		if err != nil && !errors.Is(err, io.EOF) {
			return 0, err
		}
		if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
			keep := start + int64(i) + 1
			if keep == size {
				return size, nil
			}
			return keep, truncate(f, keep)
		}
		end = start
	}
	return 0, truncate(f, 0)
}

func truncate(f *os.File, size int64) error {
	if err := f.Truncate(size); err != nil {
		return err
	}
	return f.Sync()
}

// Path is the file the store writes.
func (s *Store) Path() string { return s.path }

// Add gives e an id and the current time, appends it and syncs the file;
// when it returns nil, the entry is on disk. It returns ErrFull when the
// file would grow past its limit.
func (s *Store) Add(e Entry) (Entry, error) {
	var id [8]byte
	if _, err := rand.Read(id[:]); err != nil {
		return Entry{}, fmt.Errorf("feedback id: %w", err)
	}
	e.ID = hex.EncodeToString(id[:])

	s.mu.Lock()
	defer s.mu.Unlock()
	e.Time = s.now().UTC()
	line, err := json.Marshal(e)
	if err != nil {
		return Entry{}, fmt.Errorf("encode feedback: %w", err)
	}
	line = append(line, '\n')
	if s.f == nil {
		return Entry{}, errors.New("feedback store is closed")
	}
	if s.size+int64(len(line)) > s.max {
		return Entry{}, ErrFull
	}
	n, err := s.f.Write(line)
	if err == nil {
		err = s.f.Sync()
	}
	if err != nil {
		// Leave no partial line behind for the next entry to follow.
		if n > 0 {
			_ = truncate(s.f, s.size)
		}
		return Entry{}, fmt.Errorf("write feedback: %w", err)
	}
	s.size += int64(n)
	return e, nil
}

// List reads every entry, oldest first.
func (s *Store) List() ([]Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := os.Open(s.path)
	if err != nil {
		return nil, fmt.Errorf("read feedback: %w", err)
	}
	defer f.Close()
	return Read(io.LimitReader(f, s.size))
}

// Close closes the file.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	return err
}

// Read parses feedback in JSON Lines; blank lines are skipped.
func Read(r io.Reader) ([]Entry, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	var out []Entry
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var e Entry
		if err := json.Unmarshal(line, &e); err != nil {
			return nil, fmt.Errorf("feedback line %d: %w", n, err)
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read feedback: %w", err)
	}
	return out, nil
}
