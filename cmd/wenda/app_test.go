package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wenda/corpus"
)

func TestCorpusDrift(t *testing.T) {
	dir := t.TempDir()
	// A user's folder holding the shipped articles.
	articles := filepath.Join(dir, "articles")
	err := fs.WalkDir(corpus.Embedded(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(corpus.Embedded(), p)
		if err != nil {
			return err
		}
		os.MkdirAll(filepath.Join(articles, filepath.Dir(p)), 0o755)
		return os.WriteFile(filepath.Join(articles, p), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, err := ParseConfig("serve", []string{"--data", filepath.Join(dir, "data"), "--corpus", articles}, func(string) string { return "" }, &bytes.Buffer{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	env := newEnv(cfg, &bytes.Buffer{}, &bytes.Buffer{})
	eng, _, _, err := env.openDefault(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	if d, err := env.corpusDrift(context.Background(), eng); err != nil || d != "" {
		t.Fatalf("unchanged corpus: drift %q, %v", d, err)
	}

	f := filepath.Join(articles, "g2-busan-summit.txt")
	b, _ := os.ReadFile(f)
	os.WriteFile(f, append(b, []byte("\n\n新增的一段。\n")...), 0o644)
	os.Remove(filepath.Join(articles, "madrid-talks-interview.txt"))
	os.WriteFile(filepath.Join(articles, "new.md"), []byte("# 新文章\n\n这是一篇新文章。\n"), 0o644)
	d, err := env.corpusDrift(context.Background(), eng)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(d, "1 new, 1 changed and 1 removed") {
		t.Errorf("drift %q", d)
	}
}
