package extract

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// readPPTX reads a PowerPoint file: the slides in presentation order, each
// a page, its title a heading and the rest of its text paragraphs.
func readPPTX(raw []byte, lim Limits) (*Content, error) {
	z, err := openOOXML(raw, lim)
	if err != nil {
		return nil, err
	}
	const pres = "ppt/presentation.xml"
	b, err := z.read(pres)
	if err != nil {
		if errors.Is(err, errNoPart) {
			return nil, fmt.Errorf("%w: a ZIP archive without %s is not a PowerPoint file", ErrCorrupt, pres)
		}
		return nil, err
	}
	var p struct {
		Slides []struct {
			RID string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sldIdLst>sldId"`
	}
	if err := xml.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, pres, err)
	}
	if len(p.Slides) > lim.MaxPages {
		return nil, overLimit("the %d-slide limit (the file has %d slides)", lim.MaxPages, len(p.Slides))
	}
	rels, err := z.rels(pres)
	if err != nil {
		return nil, err
	}
	c := &Content{Type: TypePPTX, Encoding: EncUTF8, Meta: z.coreMeta(), PageCount: len(p.Slides)}
	for i, s := range p.Slides {
		part, ok := rels[s.RID]
		if !ok {
			continue
		}
		sb, err := z.read(part)
		if errors.Is(err, errNoPart) {
			continue
		}
		if err != nil {
			return nil, err
		}
		blocks, err := slideBlocks(sb, part)
		if err != nil {
			return nil, err
		}
		for _, bl := range blocks {
			bl.Page = i + 1
			c.Blocks = append(c.Blocks, bl)
		}
	}
	return c, nil
}

// slideBlocks reads one slide: its title first, then the text of its other
// shapes and tables in the order the slide lists them. Slide numbers,
// dates and footers are layout, not text.
func slideBlocks(b []byte, part string) ([]Block, error) {
	d := xmlDecoder(b)
	var (
		title  []string
		body   []Block
		phType string // placeholder type of the current shape
		para   strings.Builder
		inText bool
		rows   [][]string // of the table being read
		row    []string
		cell   strings.Builder
		inCell bool
		skip   int
		bullet slideBullet // of the current paragraph
		count  int         // the paragraphs the current numbering counted
		last   slideBullet // the numbering that counted them
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, part, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 {
				skip++
				continue
			}
			switch t.Name.Local {
			case "Fallback":
				skip = 1
			case "sp":
				phType = ""
			case "ph":
				phType = attrVal(t, "type")
			case "txBody":
				count, last = 0, slideBullet{}
			case "p":
				para.Reset()
				bullet = slideBullet{}
			case "buNone", "buChar", "buAutoNum":
				bullet = slideBullet{kind: t.Name.Local, scheme: attrVal(t, "type"), start: atoiOr(attrVal(t, "startAt"), 1)}
			case "t":
				inText = true
			case "br":
				para.WriteByte(' ')
			case "tbl":
				rows = nil
			case "tr":
				row = nil
			case "tc":
				cell.Reset()
				inCell = true
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			switch t.Name.Local {
			case "sp":
				phType = ""
			case "t":
				inText = false
			case "p":
				text := collapse(para.String())
				switch {
				case text == "":
				case inCell:
					if cell.Len() > 0 {
						cell.WriteByte(' ')
					}
					cell.WriteString(text)
				case phType == "sldNum" || phType == "dt" || phType == "ftr" || phType == "hdr":
				case phType == "title" || phType == "ctrTitle":
					title = append(title, text)
				default:
					switch {
					case bullet.kind != "buAutoNum":
						count = 0
					case bullet == last:
						count++
					default:
						count = 1
					}
					last = bullet
					if label := bullet.label(count); label != "" {
						text = joinLabel(label, text)
					}
					body = append(body, Block{Kind: Paragraph, Text: text})
				}
			case "tc":
				row = append(row, collapse(cell.String()))
				inCell = false
			case "tr":
				rows = append(rows, row)
			case "tbl":
				body = append(body, tableBlocks(rows)...)
			}
		case xml.CharData:
			if inText && skip == 0 {
				para.Write(t)
			}
		}
	}
	// Decks made of plain text boxes have no title placeholder; a short
	// first line that is not a sentence stands for the title.
	if len(title) == 0 && len(body) > 1 && looksLikeTitle(body[0].Text) {
		title, body = []string{body[0].Text}, body[1:]
	}
	var out []Block
	if len(title) > 0 {
		out = append(out, Block{Kind: Heading, Level: 2, Text: strings.Join(title, " ")})
	}
	return append(out, body...), nil
}

// looksLikeTitle reports whether a slide's first line reads as its title:
// short, and not a sentence.
func looksLikeTitle(s string) bool {
	const maxTitleRunes = 40
	return utf8.RuneCountInString(s) <= maxTitleRunes && !strings.ContainsAny(s, "。！？；，,;!?")
}

// slideBullet is how a slide's paragraph is marked, as its properties say
// (a:buChar, a:buAutoNum, a:buNone); a paragraph that says nothing takes
// its placeholder's marks from the slide master, which are not read.
type slideBullet struct {
	kind   string // buChar, buAutoNum, buNone or ""
	scheme string // buAutoNum's type: arabicPeriod, ea1ChsPeriod, …
	start  int
}

// autoNumFormats are the numbering schemes of buAutoNum, as list-number
// formats and what follows the number (the East Asian ones with a
// full-width period: 一．).
var autoNumFormats = map[string][2]string{
	"arabicPeriod": {"decimal", "."}, "arabicParenR": {"decimal", ")"}, "arabicParenBoth": {"decimal", ")"},
	"arabicPlain": {"decimal", ""}, "alphaLcPeriod": {"lowerLetter", "."}, "alphaUcPeriod": {"upperLetter", "."},
	"alphaLcParenR": {"lowerLetter", ")"}, "romanLcPeriod": {"lowerRoman", "."}, "romanUcPeriod": {"upperRoman", "."},
	"circleNumDbPlain": {"decimalEnclosedCircle", ""}, "circleNumWdBlackPlain": {"decimalEnclosedCircle", ""},
	"ea1ChsPeriod": {"chineseCounting", "．"}, "ea1ChsPlain": {"chineseCounting", ""},
	"ea1ChtPeriod": {"chineseCounting", "．"}, "ea1ChtPlain": {"chineseCounting", ""},
}

// label returns the paragraph's mark: • for a bullet, the number of the
// n-th paragraph of an automatic numbering, "" for none.
func (b slideBullet) label(n int) string {
	switch b.kind {
	case "buChar":
		return "•"
	case "buAutoNum":
		f, ok := autoNumFormats[b.scheme]
		if !ok {
			f = [2]string{"decimal", "."}
		}
		label := formatNumber(b.start+n-1, f[0]) + f[1]
		if b.scheme == "arabicParenBoth" {
			label = "(" + label
		}
		return label
	}
	return ""
}
