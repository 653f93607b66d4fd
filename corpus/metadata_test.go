package corpus

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"
)

// TestMetadataBounds is the review's hostile file: front matter listing
// 20,000 authors, a title of 10,000 characters and a javascript: URL,
// above one of the real articles' bodies.
func TestMetadataBounds(t *testing.T) {
	b, err := fs.ReadFile(Embedded(), "g2-busan-summit.txt")
	if err != nil {
		t.Fatal(err)
	}
	var raw strings.Builder
	raw.WriteString("---\ntitle: " + strings.Repeat("标题", 5000) + "\nauthors:\n")
	for i := range 20000 {
		fmt.Fprintf(&raw, "  - 作者%d\n", i)
	}
	raw.WriteString("  - \"作者0\"\nurl: \"javascript:alert(document.cookie)\"\nsource: \"新闻\\n来源\"\n---\n")
	_, plain, _ := splitFrontMatter(string(b))
	raw.WriteString(plain)
	d, err := Parse("hostile.md", []byte(raw.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Authors) != MaxAuthors || d.Authors[0] != "作者0" {
		t.Errorf("%d authors, first %q; want the first %d", len(d.Authors), d.Authors[0], MaxAuthors)
	}
	if n := utf8.RuneCountInString(d.Title); n > MaxTitleRunes || !strings.HasSuffix(d.Title, "…") {
		t.Errorf("title of %d characters", n)
	}
	if d.URL != "" {
		t.Errorf("URL %q kept; only http and https are", d.URL)
	}
	if d.Source != "新闻 来源" {
		t.Errorf("source %q; want one line", d.Source)
	}
}

func TestSafeURL(t *testing.T) {
	for u, want := range map[string]string{
		"https://www.guancha.cn/x.shtml":              "https://www.guancha.cn/x.shtml",
		"http://example.com":                          "http://example.com",
		"javascript:alert(1)":                         "",
		"JavaScript:alert(1)":                         "",
		"data:text/html,<script>":                     "",
		"vbscript:msgbox":                             "",
		"//evil.example/x":                            "",
		"/relative/path":                              "",
		"https://" + strings.Repeat("a", MaxURLBytes): "",
	} {
		if got := safeURL(u); got != want {
			t.Errorf("safeURL(%.40q) = %q, want %q", u, got, want)
		}
	}
}

// TestSkippedEntriesNamed: a symbolic link and a named pipe in a corpus
// folder are reported by name with the reason, not skipped in silence.
func TestSkippedEntriesNamed(t *testing.T) {
	dir := t.TempDir()
	b, err := fs.ReadFile(Embedded(), "g2-busan-summit.txt")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "a.txt"), filepath.Join(dir, "link.txt")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.txt"), 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	res, err := LoadDir(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != 1 {
		t.Errorf("%d documents; want the one regular file", len(res.Documents))
	}
	reasons := map[string]string{}
	for _, p := range res.Problems {
		reasons[p.Path] = p.Reason
		if !errors.Is(p, ErrNotRegular) {
			t.Errorf("%s: %v does not wrap ErrNotRegular", p.Path, p)
		}
	}
	if !strings.Contains(reasons["link.txt"], "symbolic link") || !strings.Contains(reasons["pipe.txt"], "named pipe") {
		t.Errorf("problems %v; want link.txt and pipe.txt named with their reason", reasons)
	}
}
