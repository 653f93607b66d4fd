package retrieval

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// writer is what writeFileAtomic hands its fill function.
type writer = io.Writer

// createFile opens files for writing; tests replace it to simulate a disk
// that fills up part-way through a write.
var createFile = func(name string) (io.WriteCloser, syncer, error) {
	f, err := os.Create(name)
	if err != nil {
		return nil, nil, err
	}
	return f, f, nil
}

type syncer interface{ Sync() error }

// writeFileAtomic writes a file through fill into a temporary file beside
// path, syncs it, and renames it over path, so readers see the old file or
// the whole new one and never a partial write.
func writeFileAtomic(path string, fill func(writer) error) (err error) {
	tmp := path + ".tmp"
	w, s, err := createFile(tmp)
	if err != nil {
		return fmt.Errorf("create %s: %w", tmp, err)
	}
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if err := fill(w); err != nil {
		w.Close()
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := s.Sync(); err != nil {
		w.Close()
		return fmt.Errorf("sync %s: %w", tmp, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("close %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("rename %s: %w", tmp, err)
	}
	return syncDir(filepath.Dir(path))
}

// syncDir makes a rename inside dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
