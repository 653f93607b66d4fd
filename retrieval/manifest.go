package retrieval

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// ManifestVersion changes when the on-disk layout changes; an index written
// with another version is rebuilt.
const ManifestVersion = 3

// Manifest describes the index generation in use. It is the last file an
// ingest writes, atomically, so it only ever names a complete generation.
type Manifest struct {
	Version    int           `json:"version"`
	Generation string        `json:"generation"` // folder name inside the data dir
	Embedder   EmbedderSpec  `json:"embedder"`
	Chunker    ChunkerConfig `json:"chunker"`
	Documents  []DocEntry    `json:"documents"`
	Chunks     int           `json:"chunks"`
	Bytes      int64         `json:"bytes"`
	CreatedAt  time.Time     `json:"created_at"`
}

// DocEntry records what an indexed document was built from, so a re-ingest
// can tell which documents changed.
type DocEntry struct {
	ID     string `json:"id"`
	Path   string `json:"path"`
	Hash   string `json:"hash"`
	Chunks int    `json:"chunks"`
}

// ErrNoIndex is returned by Open when the data directory holds no index.
var ErrNoIndex = errors.New("no index in data directory")

const manifestFile = "manifest.json"

func readManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, manifestFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoIndex
	}
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("parse manifest %s: %w", filepath.Join(dir, manifestFile), err)
	}
	return &m, nil
}

func writeManifest(dir string, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode manifest: %w", err)
	}
	return writeFileAtomic(filepath.Join(dir, manifestFile), func(f writer) error {
		_, err := f.Write(append(b, '\n'))
		return err
	})
}

// compatible explains why vectors of an old index cannot be reused with the
// given embedder and chunker, or returns "".
func (m *Manifest) incompatible(spec EmbedderSpec, ch ChunkerConfig) string {
	switch {
	case m.Version != ManifestVersion:
		return fmt.Sprintf("index format changed (version %d, now %d)", m.Version, ManifestVersion)
	case m.Embedder.Kind != spec.Kind || m.Embedder.Model != spec.Model:
		return fmt.Sprintf("embedder changed from %s to %s", m.Embedder, spec)
	case spec.Dim != 0 && m.Embedder.Dim != spec.Dim:
		return fmt.Sprintf("embedding dimension changed from %d to %d", m.Embedder.Dim, spec.Dim)
	case m.Chunker != ch:
		return fmt.Sprintf("chunker changed from %d/%d to %d/%d runes", m.Chunker.MaxRunes, m.Chunker.OverlapRunes, ch.MaxRunes, ch.OverlapRunes)
	}
	return ""
}
