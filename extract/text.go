package extract

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gogs/chardet"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

// The encodings a text file may come in, as Content.Encoding names them.
const (
	EncUTF8    = "UTF-8"
	EncUTF8BOM = "UTF-8 BOM"
	EncUTF16LE = "UTF-16LE"
	EncUTF16BE = "UTF-16BE"
	EncGB18030 = "GB18030"
	EncBig5    = "Big5"
)

// Thresholds of the text checks.
const (
	// maxControlShare: text has next to no control characters; binary
	// data decoded as text is full of them.
	maxControlShare = 0.05
	// maxBadShare: a legacy encoding is taken only when nearly every byte
	// sequence decodes to a character.
	maxBadShare = 0.002
	// minConfidence is the least fit of the byte statistics to GB18030 or
	// Big5 for either to be tried.
	minConfidence = 10
)

func readText(typ Type, raw []byte) (*Content, error) {
	s, enc, err := decodeText(raw)
	if err != nil {
		return nil, err
	}
	return &Content{Type: typ, Encoding: enc, Text: s}, nil
}

// decodeText decodes a text file and names its encoding. A byte order mark
// decides; without one, valid UTF-8 is UTF-8, NUL bytes in every other
// position are UTF-16, and anything else is GB18030 or Big5, whichever
// the byte statistics favour and decodes cleanly.
func decodeText(raw []byte) (string, string, error) {
	var (
		s   string
		enc string
	)
	switch {
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		if !utf8.Valid(raw[3:]) {
			return "", "", fmt.Errorf("%w: not valid UTF-8 although it starts with a UTF-8 byte order mark", ErrEncoding)
		}
		s, enc = string(raw[3:]), EncUTF8BOM
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}):
		s, enc = decodeWith(xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM), raw), EncUTF16LE
	case bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		s, enc = decodeWith(xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM), raw), EncUTF16BE
	case utf8.Valid(raw):
		if bytes.IndexByte(raw, 0) >= 0 {
			if le, ok := utf16Order(raw); ok {
				return decodeUTF16NoBOM(raw, le)
			}
			return "", "", fmt.Errorf("%w (NUL bytes)", ErrBinary)
		}
		s, enc = string(raw), EncUTF8
	default:
		if le, ok := utf16Order(raw); ok {
			return decodeUTF16NoBOM(raw, le)
		}
		if bytes.IndexByte(raw, 0) >= 0 {
			return "", "", fmt.Errorf("%w (NUL bytes)", ErrBinary)
		}
		var err error
		if s, enc, err = decodeLegacy(raw); err != nil {
			return "", "", err
		}
	}
	if controlShare(s) > maxControlShare {
		return "", "", fmt.Errorf("%w (mostly control characters)", ErrBinary)
	}
	return s, enc, nil
}

func decodeUTF16NoBOM(raw []byte, littleEndian bool) (string, string, error) {
	order, enc := xunicode.BigEndian, EncUTF16BE
	if littleEndian {
		order, enc = xunicode.LittleEndian, EncUTF16LE
	}
	s := decodeWith(xunicode.UTF16(order, xunicode.IgnoreBOM), raw)
	if controlShare(s) > maxControlShare {
		return "", "", fmt.Errorf("%w (mostly control characters)", ErrBinary)
	}
	return s, enc, nil
}

func decodeWith(e encoding.Encoding, raw []byte) string {
	// The decoders replace what they cannot decode with U+FFFD and never
	// fail on bytes alone.
	out, _ := e.NewDecoder().Bytes(raw)
	return string(out)
}

// decodeLegacy decodes text in GB18030 (a superset of GBK and GB2312) or
// Big5. Most byte sequences are valid in both, so the statistics of the
// two-byte codes of common characters (ICU's recognisers, through chardet)
// rank the two, and the first that decodes with (next to) no invalid
// sequence wins.
func decodeLegacy(raw []byte) (string, string, error) {
	candidates := []struct {
		name string
		enc  encoding.Encoding
	}{{EncGB18030, simplifiedchinese.GB18030}, {EncBig5, traditionalchinese.Big5}}
	gb, big5 := chineseConfidence(raw)
	if big5 > gb {
		candidates[0], candidates[1] = candidates[1], candidates[0]
	}
	for _, c := range candidates {
		if max(gb, big5) < minConfidence {
			break // Latin-1 or another single-byte encoding decodes as rare Han
		}
		s := decodeWith(c.enc, raw)
		if badShare(s) <= maxBadShare {
			return s, c.name, nil
		}
	}
	return "", "", fmt.Errorf("%w: not UTF-8, UTF-16, GB18030/GBK or Big5 (convert it to UTF-8)", ErrEncoding)
}

// chineseConfidence is how well (0 to 100) the byte statistics fit GB18030
// and Big5.
func chineseConfidence(raw []byte) (gb, big5 int) {
	const sample = 64 << 10 // statistics settle long before this
	if len(raw) > sample {
		raw = raw[:sample]
	}
	results, err := chardet.NewTextDetector().DetectAll(raw)
	if err != nil {
		return 0, 0
	}
	for _, r := range results {
		switch r.Charset {
		case "GB18030":
			gb = max(gb, r.Confidence)
		case "Big5":
			big5 = max(big5, r.Confidence)
		}
	}
	return gb, big5
}

// badShare is the share of characters that did not decode.
func badShare(s string) float64 {
	bad, n := 0, 0
	for _, r := range s {
		n++
		if r == utf8.RuneError {
			bad++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(bad) / float64(n)
}

// controlShare is the share of characters that are control characters
// other than white space: high in binary data, near zero in text.
func controlShare(s string) float64 {
	ctl, n := 0, 0
	for _, r := range s {
		n++
		if unicode.IsControl(r) && !strings.ContainsRune("\n\r\t\f", r) {
			ctl++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(ctl) / float64(n)
}
