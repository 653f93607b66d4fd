package extract

import (
	"context"
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

func encode(t *testing.T, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDecodeText decodes the same short texts from every encoding: short
// files are where statistics have least to go on.
func TestDecodeText(t *testing.T) {
	const (
		hans = "中美两国元首在釜山会晤，双方同意暂停部分关税措施。"
		hant = "中美兩國元首在釜山會晤，雙方同意暫停部分關稅措施。"
	)
	for _, tc := range []struct {
		name, want, enc string
		raw             []byte
	}{
		{"utf-8", hans, EncUTF8, []byte(hans)},
		{"utf-8 bom", hans, EncUTF8BOM, append([]byte{0xEF, 0xBB, 0xBF}, hans...)},
		{"utf-16le bom", hant, EncUTF16LE, encode(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM), hant)},
		{"utf-16be bom", hant, EncUTF16BE, encode(t, xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM), hant)},
		{"utf-16le ascii, no bom", "Annual report 2024\n", EncUTF16LE, encode(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), "Annual report 2024\n")},
		{"gbk", hans, EncGB18030, encode(t, simplifiedchinese.GBK, hans)},
		{"gb18030", hans, EncGB18030, encode(t, simplifiedchinese.GB18030, hans)},
		{"big5", hant, EncBig5, encode(t, traditionalchinese.Big5, hant)},
		{"big5, long", strings.Repeat(hant, 20), EncBig5, encode(t, traditionalchinese.Big5, strings.Repeat(hant, 20))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, enc, err := decodeText(tc.raw)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want || enc != tc.enc {
				t.Errorf("decoded %q as %s, want %q as %s", got, enc, tc.want, tc.enc)
			}
		})
	}
}

func TestDecodeTextRefuses(t *testing.T) {
	latin1 := encode(t, charmap.ISO8859_1, "Ça coûte très cher à Genève, déjà été où?")
	for _, tc := range []struct {
		name string
		raw  []byte
		want error
	}{
		{"latin-1", latin1, ErrEncoding},
		{"nul bytes", []byte("正文\x00\x01\x02数据\x00"), ErrBinary},
		{"control bytes", []byte(strings.Repeat("\x01\x02\x1b文", 30)), ErrBinary},
		{"bad utf-8 after a bom", []byte{0xEF, 0xBB, 0xBF, 'a', 0xFF, 0xFE, 'b'}, ErrEncoding},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if s, enc, err := decodeText(tc.raw); !errors.Is(err, tc.want) {
				t.Errorf("decoded %q as %s (err %v), want %v", s, enc, err, tc.want)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	docx := readFixture(t, "galileo.docx")
	for _, tc := range []struct {
		name string
		head []byte
		want Type
	}{
		{"a.txt", []byte("正文。"), TypeText},
		{"a.md", []byte("# 标题\n\n正文。"), TypeMarkdown},
		{"a.markdown", []byte("正文。"), TypeMarkdown},
		{"saved-page.txt", []byte("<!DOCTYPE html><html><head><title>标题</title></head><body><p>正文</p></body></html>"), TypeHTML},
		{"a.html", []byte("<html><body><p>正文</p></body></html>"), TypeHTML},
		// A page of a site generator: front matter in a comment, then
		// the body's elements (the head of the Go distribution's
		// doc/go_mem.html).
		{"go_mem.html", []byte("<!--{\n\t\"Title\": \"The Go Memory Model\"\n}-->\n\n<style>\np.rule {\n  font-style: italic;\n}\n</style>\n\n<h2 id=\"introduction\">Introduction</h2>\n<p>\nThe Go memory model\n</p>\n"), TypeHTML},
		// The same text named .txt is text: the name decides only
		// between kinds of text.
		{"go_mem.txt", []byte("<!--{\n}-->\n<p>\nThe Go memory model\n</p>\n"), TypeText},
		{"report", readFixture(t, "notice-cid.pdf"), TypePDF},
		{"report.txt", readFixture(t, "notice-cid.pdf"), TypePDF},
		{"g.docx", docx, TypeDOCX},
		{"renamed.bin", docx, TypeDOCX},
		{"p.pptx", readFixture(t, "pearl-harbor.pptx"), TypePPTX},
		{"q.xlsx", readFixture(t, "qing-provinces.xlsx"), TypeXLSX},
		{"gbk.txt", readFixture(t, "conciergerie-gbk.txt"), TypeText},
		{"utf16.txt", readFixture(t, "blue-horde-utf16.txt"), TypeText},
		{"empty.txt", nil, TypeText},
		{"data.csv", []byte("名称,数量\n苹果,3\n"), TypeText},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Detect(tc.name, tc.head)
			if err != nil || got != tc.want {
				t.Errorf("Detect = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name string
		head []byte
		what string
	}{
		{"photo.png", readFixture(t, "photo.png"), "an image (PNG)"},
		{"bundle.zip", readFixture(t, "bundle.zip"), "a ZIP archive"},
		{"old.doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + strings.Repeat("\x00", 512)), "old-format"},
		{"prog", []byte("\x7fELF\x02\x01\x01\x00" + strings.Repeat("\x00", 64)), "program"},
		{"notes.rtf", []byte(`{\rtf1\ansi\deff0 {\fonttbl {\f0 Times;}} 正文}`), "RTF"},
		{"figure.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>`), "image"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Detect(tc.name, tc.head)
			var ue *UnsupportedError
			if !errors.As(err, &ue) || !errors.Is(err, ErrUnsupported) {
				t.Fatalf("Detect err = %v, want an *UnsupportedError", err)
			}
			if !strings.Contains(ue.What, tc.what) || !strings.Contains(err.Error(), tc.name) || !strings.Contains(err.Error(), "supported: text") {
				t.Errorf("error %q should name the file, say %q and list the supported types", err, tc.what)
			}
		})
	}
}

// TestExtractTextThroughExtractor checks that a text file's encoding is
// reported through the one entry point.
func TestExtractTextThroughExtractor(t *testing.T) {
	c, err := testExtractor(t).Extract(context.Background(), "rwanda-big5.txt", readFixture(t, "rwanda-big5.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Encoding != EncBig5 || !strings.HasPrefix(c.Text, "盧安達") {
		t.Errorf("encoding %s, text %q…", c.Encoding, c.Text[:min(30, len(c.Text))])
	}
}

func TestPlausibleMetadata(t *testing.T) {
	for _, tc := range []struct {
		s      string
		author bool
		title  bool
	}{
		{"天文知識編輯組", true, true},
		{"Administrator", false, true},
		{"Microsoft Office User", false, true},
		{"微软用户", false, true},
		{"lenovo", false, true},
		{"Microsoft Word - 报告.docx", true, false},
		{"untitled", true, false},
		{"2024年工作报告.pdf", true, false},
		{"", false, false},
	} {
		if got := plausibleAuthor(tc.s); got != tc.author {
			t.Errorf("plausibleAuthor(%q) = %v", tc.s, got)
		}
		if got := plausibleTitle(tc.s); got != tc.title {
			t.Errorf("plausibleTitle(%q) = %v", tc.s, got)
		}
	}
}
