package extract

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/gabriel-vasile/mimetype"
)

// Type is a kind of file this package reads.
type Type string

// The supported types.
const (
	TypeText     Type = "text"
	TypeMarkdown Type = "markdown"
	TypeHTML     Type = "html"
	TypePDF      Type = "pdf"
	TypeDOCX     Type = "docx"
	TypePPTX     Type = "pptx"
	TypeXLSX     Type = "xlsx"
)

// SniffLen is how many leading bytes of a file Detect looks at; pass at
// least this many (or the whole file, when it is shorter).
const SniffLen = 4096

// ErrUnsupported is wrapped by every *UnsupportedError.
var ErrUnsupported = errors.New("unsupported file type")

// UnsupportedError reports a file of a type this package does not read.
type UnsupportedError struct {
	Name string // the file's name, as given to Detect
	What string // what the file is, for people: "a PNG image"
	MIME string // its detected MIME type
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("%s is %s, %s, which cannot be read; supported: %s", e.Name, e.What, e.MIME, SupportedTypes())
}

// Reason is the error without the file's name, for a list of files.
func (e *UnsupportedError) Reason() string {
	return fmt.Sprintf("unsupported type: %s, %s; supported: %s", e.What, e.MIME, SupportedTypes())
}

func (e *UnsupportedError) Unwrap() error { return ErrUnsupported }

// SupportedTypes lists the types this package reads, for messages.
func SupportedTypes() string {
	return "text (.txt) and Markdown (.md) in UTF-8, UTF-16, GB18030/GBK or Big5; HTML; PDF with a text layer; Word (.docx); PowerPoint (.pptx); Excel (.xlsx)"
}

// Detect names the type of a file from its first bytes (see SniffLen) and
// its name. The bytes decide; the name only tells Markdown from plain text
// and which Office file a ZIP archive is when the bytes do not show it. A
// file of any other type gets an *UnsupportedError.
func Detect(name string, head []byte) (Type, error) {
	if len(head) > SniffLen {
		head = head[:SniffLen]
	}
	ext := strings.ToLower(path.Ext(name))
	if len(head) == 0 || hasUTF16BOM(head) || looksUTF16(head) {
		return textType(ext), nil
	}
	m := mimetype.Detect(head)
	switch {
	case m.Is("application/pdf"):
		return TypePDF, nil
	case m.Is("application/vnd.openxmlformats-officedocument.wordprocessingml.document"):
		return TypeDOCX, nil
	case m.Is("application/vnd.openxmlformats-officedocument.presentationml.presentation"):
		return TypePPTX, nil
	case m.Is("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
		return TypeXLSX, nil
	case m.Is("application/zip"):
		// mimetype recognises Office files by the first members of the
		// archive; other producers order them differently.
		switch ext {
		case ".docx":
			return TypeDOCX, nil
		case ".pptx":
			return TypePPTX, nil
		case ".xlsx":
			return TypeXLSX, nil
		}
	case m.Is("text/html"), m.Is("application/xhtml+xml"):
		return TypeHTML, nil
	case m.Is("text/rtf"), strings.HasPrefix(baseMIME(m), "image/"):
		// RTF and SVG descend from text/plain, but their text is wrapped in
		// markup.
	case isText(m) && (ext == ".html" || ext == ".htm") && htmlTagRE.Match(head):
		// An HTML page that does not open with a tag mimetype knows: a
		// fragment a site generator fills in, which opens with a comment
		// of front matter (<!--{ "Title": … }-->) or a <style> block.
		return TypeHTML, nil
	case isText(m):
		return textType(ext), nil
	case m.Is("application/octet-stream") && legacyChinese(head):
		return textType(ext), nil
	}
	return "", &UnsupportedError{Name: name, What: describe(m), MIME: baseMIME(m)}
}

// htmlTagRE matches a closing tag of an element HTML pages are made of.
var htmlTagRE = regexp.MustCompile(`(?i)</(?:p|div|h[1-6]|a|li|ul|ol|td|tr|table|span|section|article|body|html|head|title|style|script)>`)

func textType(ext string) Type {
	if ext == ".md" || ext == ".markdown" {
		return TypeMarkdown
	}
	return TypeText
}

// isText reports whether m is plain text or a kind of it (CSV, source
// code, JSON); the text decoder still has to find an encoding for it.
func isText(m *mimetype.MIME) bool {
	for p := m; p != nil; p = p.Parent() {
		if p.Is("text/plain") {
			return true
		}
	}
	return false
}

// legacyChinese reports whether bytes that mimetype could not place look
// like GB18030 or Big5 text: no NUL and no control bytes but white space,
// and mostly two-byte sequences with a high lead byte.
func legacyChinese(b []byte) bool {
	high := 0
	for _, c := range b {
		switch {
		case c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') || c == 0x7F:
			return false
		case c >= 0x80:
			high++
		}
	}
	return high > 0
}

func hasUTF16BOM(b []byte) bool {
	return len(b) >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))
}

// looksUTF16 reports whether text without a byte order mark is UTF-16:
// Chinese in UTF-16 has no NUL bytes to show, so only ASCII-heavy text
// (where every other byte is NUL) is recognised.
func looksUTF16(b []byte) bool {
	_, ok := utf16Order(b)
	return ok
}

// utf16Order guesses the byte order of UTF-16 text without a byte order
// mark from where its NUL bytes fall.
func utf16Order(b []byte) (littleEndian, ok bool) {
	const minShare = 0.3
	n := len(b) &^ 1
	if n < 8 {
		return false, false
	}
	even, odd := 0, 0
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	pairs := float64(n / 2)
	switch {
	case float64(odd) >= minShare*pairs && even == 0:
		return true, true
	case float64(even) >= minShare*pairs && odd == 0:
		return false, true
	}
	return false, false
}

func baseMIME(m *mimetype.MIME) string {
	s, _, _ := strings.Cut(m.String(), ";")
	return s
}

// describe names a type for people, and says what to do about the common
// ones.
func describe(m *mimetype.MIME) string {
	mt := baseMIME(m)
	for _, d := range descriptions {
		if m.Is(d.mime) {
			return d.what
		}
	}
	switch {
	case strings.HasPrefix(mt, "image/"):
		return "an image (" + strings.ToUpper(strings.TrimPrefix(m.Extension(), ".")) + ")"
	case strings.HasPrefix(mt, "audio/"):
		return "an audio file"
	case strings.HasPrefix(mt, "video/"):
		return "a video"
	case strings.HasPrefix(mt, "font/"):
		return "a font"
	}
	if mt == "application/octet-stream" {
		return "binary data of no known file type"
	}
	if ext := m.Extension(); ext != "" {
		return "a " + strings.TrimPrefix(ext, ".") + " file"
	}
	return "not a file type wenda knows"
}

var descriptions = []struct{ mime, what string }{
	{"application/zip", "a ZIP archive"},
	{"application/gzip", "a compressed archive"},
	{"application/x-7z-compressed", "a compressed archive"},
	{"application/x-rar-compressed", "a compressed archive"},
	{"application/x-tar", "a TAR archive"},
	{"application/x-bzip2", "a compressed archive"},
	{"application/x-xz", "a compressed archive"},
	{"application/zstd", "a compressed archive"},
	{"application/x-executable", "a program"},
	{"application/x-elf", "a program"},
	{"application/x-sharedlib", "a program library"},
	{"application/vnd.microsoft.portable-executable", "a program"},
	{"application/x-mach-binary", "a program"},
	{"application/wasm", "a WebAssembly module"},
	{"application/msword", "an old-format Word file (.doc); save it as .docx or PDF"},
	{"application/vnd.ms-excel", "an old-format Excel file (.xls); save it as .xlsx"},
	{"application/vnd.ms-powerpoint", "an old-format PowerPoint file (.ppt); save it as .pptx or PDF"},
	{"application/x-ole-storage", "an old-format Office file (.doc, .xls or .ppt); save it in the new format (.docx, .xlsx, .pptx) or as PDF"},
	{"application/vnd.oasis.opendocument.text", "an OpenDocument text (.odt); save it as .docx or PDF"},
	{"application/vnd.oasis.opendocument.spreadsheet", "an OpenDocument spreadsheet (.ods); save it as .xlsx"},
	{"application/vnd.oasis.opendocument.presentation", "an OpenDocument presentation (.odp); save it as .pptx or PDF"},
	{"application/epub+zip", "an EPUB e-book"},
	{"text/rtf", "an RTF document; save it as .docx or PDF"},
	{"application/x-sqlite3", "a SQLite database"},
}
