package corpus

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"wenda/hanzi"
)

const goodArticle = "# 中美关系的新阶段\n\n中美两国元首在釜山会晤，双方同意暂停部分关税措施。\n"

func writeFiles(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadDirSkipsBadFiles(t *testing.T) {
	zipped := []byte("PK\x03\x04\x00\x00binary\x00data")
	noisy := bytes.Repeat([]byte{0x01, 0x02, 0x1b, 'a'}, 64) // no NUL, but not text
	dir := writeFiles(t, map[string][]byte{
		"good.md":             []byte(goodArticle),
		"binary.txt":          zipped, // the bytes decide, not the name
		"noisy.txt":           noisy,
		"nul.txt":             []byte("正文\x00\x01\x02\x00数据"),
		"gbk.txt":             {0xd6, 0xd0, 0xc3, 0xc0, 0xb9, 0xd8, 0xcf, 0xb5, 0xa1, 0xa3}, // 中美关系。 in GBK
		"empty.txt":           {},
		"blank.txt":           []byte(" \n\t\n\u3000\n"),
		"only-chrome.txt":     []byte("---\nformat: web\n---\n分享至\n0\n"),
		"big.txt":             bytes.Repeat([]byte("中美关系。"), 100),
		"bad-front.md":        []byte("---\ndate: last tuesday\n---\n正文。\n"),
		"image.png":           {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R'},
		".hidden/secret.txt":  []byte("隐藏的文件。"),
		"notes/readme.pdf.md": []byte("正文在这里。"),
	})
	res, err := LoadDir(context.Background(), dir, Options{MaxFileBytes: 400})
	if err != nil {
		t.Fatalf("LoadDir: %v", err)
	}
	var ids []string
	for _, d := range res.Documents {
		ids = append(ids, d.ID)
	}
	if want := []string{"gbk", "good", "readme-pdf"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("loaded %q, want %q", ids, want)
	}
	if d := res.Documents[0]; d.Encoding != "GB18030" || d.Text != "中美关系。" {
		t.Errorf("GBK file: encoding %q, text %q", d.Encoding, d.Text)
	}
	tests := []struct {
		path   string
		err    error
		reason string
	}{
		{"bad-front.md", ErrFrontMatter, "bad front matter"},
		{"big.txt", ErrTooLarge, "over the 400 bytes limit"},
		{"binary.txt", ErrUnsupported, "a ZIP archive"},
		{"blank.txt", ErrNoText, "empty"},
		{"empty.txt", ErrNoText, "empty"},
		{"image.png", ErrUnsupported, "an image (PNG)"},
		{"noisy.txt", ErrUnsupported, "binary data"},
		{"nul.txt", ErrUnsupported, "binary data"},
		{"only-chrome.txt", ErrNoText, "no text left"},
	}
	if len(res.Problems) != len(tests) {
		t.Fatalf("problems %v, want %d", res.Problems, len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			p := res.Problems[i]
			if p.Path != tt.path {
				t.Fatalf("problem %d is %s, want %s", i, p.Path, tt.path)
			}
			if !strings.Contains(p.Reason, tt.reason) || !strings.Contains(p.Error(), tt.path) {
				t.Errorf("problem %q should name the file and say %q", p.Error(), tt.reason)
			}
			if !errors.Is(p, tt.err) {
				t.Errorf("error %v does not wrap %v", p, tt.err)
			}
		})
	}
	if p := res.Problems[5]; !strings.Contains(p.Reason, "supported: text (.txt)") {
		t.Errorf("an unsupported file's reason should list the supported types: %q", p.Reason)
	}
}

func TestLoadDirEmpty(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string][]byte
		problems int
	}{
		{"no files", nil, 0},
		{"only unsupported files", map[string][]byte{"photo.jpg": {0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0}}, 1},
		{"only bad files", map[string][]byte{"a.txt": {0, 1, 2}, "b.md": {}}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := LoadDir(context.Background(), writeFiles(t, tt.files), Options{})
			if !errors.Is(err, ErrEmptyCorpus) {
				t.Fatalf("error %v, want ErrEmptyCorpus", err)
			}
			if !strings.Contains(err.Error(), "supported: text (.txt)") {
				t.Errorf("error %q should name the supported types", err)
			}
			if res == nil || len(res.Problems) != tt.problems {
				t.Errorf("result %+v should list %d skipped files", res, tt.problems)
			}
		})
	}
	if _, err := LoadDir(context.Background(), filepath.Join(t.TempDir(), "missing"), Options{}); err == nil || errors.Is(err, ErrEmptyCorpus) {
		t.Errorf("missing folder: error %v, want a not-exist error", err)
	}
}

func TestLoadWithoutFrontMatter(t *testing.T) {
	tests := []struct {
		name, body string
		title      string
		format     Format
		script     hanzi.Script
		date       string
		authors    []string
		textStart  string
	}{
		{
			name: "heading.md", body: "\n# 中美关系的新阶段\n\n正文第一段。\n",
			title: "中美关系的新阶段", format: FormatMarkdown, script: hanzi.Simplified,
			textStart: "中美关系的新阶段\n\n正文第一段。",
		},
		{
			name: "first-line.txt", body: "\n\n  臺灣問題與中美關係  \n\n這是正文的第一段。\n",
			title: "臺灣問題與中美關係", format: FormatPlain, script: hanzi.Traditional,
			textStart: "臺灣問題與中美關係\n\n這是正文的第一段。",
		},
		{
			name: "bom-crlf.txt", body: "\uFEFF标题行\r\n\r\n发布时间：2024年3月5日 正文说明了关税的变化。\r\n作者：张三、李四\r\n",
			title: "标题行", format: FormatPlain, script: hanzi.Simplified, date: "2024-03-05",
			authors: []string{"张三", "李四"}, textStart: "标题行\n\n正文说明了关税的变化。",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := LoadDir(context.Background(), writeFiles(t, map[string][]byte{tt.name: []byte(tt.body)}), Options{})
			if err != nil {
				t.Fatal(err)
			}
			d := res.Documents[0]
			if d.Title != tt.title || d.Format != tt.format || d.Script != tt.script || d.Date != tt.date {
				t.Errorf("got title %q format %q script %q date %q", d.Title, d.Format, d.Script, d.Date)
			}
			if !reflect.DeepEqual(d.Authors, tt.authors) {
				t.Errorf("authors %q, want %q", d.Authors, tt.authors)
			}
			if d.Text != tt.textStart {
				t.Errorf("text %q, want %q", d.Text, tt.textStart)
			}
			if d.Path != tt.name {
				t.Errorf("path %q", d.Path)
			}
		})
	}
}

func TestFrontMatter(t *testing.T) {
	body := "正文。\n"
	tests := []struct {
		name, front string
		wantErr     bool
		check       func(Document) bool
	}{
		{"all fields", "title: 标题\nauthors: [甲, 乙]\nsource: 某刊\nurl: https://example.org/a\ndate: 2025-10-31\nscript: simplified\nformat: plain\nseed: s.txt", false,
			func(d Document) bool {
				return d.Title == "标题" && len(d.Authors) == 2 && d.Source == "某刊" && d.URL == "https://example.org/a" && d.Date == "2025-10-31" && d.Seed == "s.txt"
			}},
		{"author as a string", "authors: 甲", false, func(d Document) bool { return reflect.DeepEqual(d.Authors, []string{"甲"}) }},
		{"year only", "date: \"2023\"", false, func(d Document) bool { return d.Date == "2023" }},
		{"unknown fields ignored", "tags: [a]", false, func(d Document) bool { return d.Title == "正文。" }},
		{"bad date", "date: 31/10/2025", true, nil},
		{"bad script", "script: latin", true, nil},
		{"bad format", "format: docx", true, nil},
		{"bad yaml", "title: [unclosed", true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse("a.txt", []byte("---\n"+tt.front+"\n---\n"+body))
			if tt.wantErr {
				var fe *FileError
				if !errors.As(err, &fe) || fe.Path != "a.txt" {
					t.Fatalf("error %v, want a *FileError for a.txt", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(d) {
				t.Errorf("document %+v", d)
			}
			if d.Text != "正文。" {
				t.Errorf("front matter leaked into the text: %q", d.Text)
			}
		})
	}
}

func TestParseHashIsOfRawBytes(t *testing.T) {
	a, err := Parse("a.txt", []byte("正文。\n"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse("a.txt", []byte("正文。\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Text != b.Text || a.Hash == b.Hash {
		t.Errorf("same text should load alike but hash apart: %q %q %s %s", a.Text, b.Text, a.Hash, b.Hash)
	}
}

func TestAssignIDs(t *testing.T) {
	tests := []struct {
		paths []string
		want  []string
	}{
		{[]string{"G2 Summit.txt", "中美关系.md"}, []string{"g2-summit", "中美关系"}},
		{[]string{"a/notes.txt", "b/notes.txt", "c/other.md"}, []string{"a-notes", "b-notes", "other"}},
		{[]string{"x.md", "x.txt"}, []string{"x", "x-2"}},
		{[]string{"___.txt"}, []string{"doc"}},
	}
	for _, tt := range tests {
		docs := make([]Document, len(tt.paths))
		for i, p := range tt.paths {
			docs[i].Path = p
		}
		assignIDs(docs)
		var got []string
		for _, d := range docs {
			got = append(got, d.ID)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ids of %q = %q, want %q", tt.paths, got, tt.want)
		}
	}
}
