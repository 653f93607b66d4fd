package extract

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// readDOCX reads a Word file: the body's paragraphs and tables in order,
// headings from the paragraph styles, footnotes and endnotes as Notes.
func readDOCX(raw []byte, lim Limits) (*Content, error) {
	z, err := openOOXML(raw, lim)
	if err != nil {
		return nil, err
	}
	body, err := z.read("word/document.xml")
	if err != nil {
		if errors.Is(err, errNoPart) {
			return nil, fmt.Errorf("%w: a ZIP archive without word/document.xml is not a Word file", ErrCorrupt)
		}
		return nil, err
	}
	styles, err := docxStyles(z)
	if err != nil {
		return nil, err
	}
	numbering, err := docxNumberingOf(z)
	if err != nil {
		return nil, err
	}
	r := &docxReader{styles: styles, lists: docxCounter{def: numbering}}
	if err := r.parse(body); err != nil {
		return nil, err
	}
	c := &Content{Type: TypeDOCX, Encoding: EncUTF8, Meta: z.coreMeta(), Blocks: r.blocks}
	for _, kind := range []string{"footnote", "endnote"} {
		notes, err := docxNotes(z, kind, r.refs[kind])
		if err != nil {
			return nil, err
		}
		c.Notes = append(c.Notes, notes...)
	}
	return c, nil
}

// docxStyle is what a paragraph style says about headings and lists.
type docxStyle struct {
	name    string
	basedOn string
	outline int // 0-based outline level; -1 when the style sets none
	// numID and ilvl are the list the style numbers its paragraphs in
	// (List Number); numID is "" when it numbers none.
	numID string
	ilvl  int
}

// headingName matches the names Word gives heading styles, in English
// (the built-in names) and as Chinese users name their own.
var headingName = regexp.MustCompile(`^(?:heading|标题|標題)\s*([1-9])$`)

// docxStyles reads word/styles.xml.
func docxStyles(z *ooxml) (map[string]docxStyle, error) {
	out := map[string]docxStyle{}
	b, err := z.read("word/styles.xml")
	if errors.Is(err, errNoPart) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	d := xmlDecoder(b)
	var (
		id  string
		cur docxStyle
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: word/styles.xml: %v", ErrCorrupt, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "style":
				id, cur = attrVal(t, "styleId"), docxStyle{outline: -1}
			case "numId":
				cur.numID = attrVal(t, "val")
			case "ilvl":
				cur.ilvl = atoiOr(attrVal(t, "val"), 0)
			case "name":
				cur.name = strings.ToLower(strings.TrimSpace(attrVal(t, "val")))
			case "basedOn":
				cur.basedOn = attrVal(t, "val")
			case "outlineLvl":
				if n, err := strconv.Atoi(attrVal(t, "val")); err == nil {
					cur.outline = n
				}
			}
		case xml.EndElement:
			if t.Name.Local == "style" && id != "" {
				out[id] = cur
				id = ""
			}
		}
	}
	return out, nil
}

// headingLevelOf returns the heading level (1-based) a style gives its
// paragraphs, or 0 for body text.
func headingLevelOf(styles map[string]docxStyle, id string) int {
	for _, s := range styleChain(styles, id) {
		if s.name == "title" {
			return 1
		}
		if m := headingName.FindStringSubmatch(s.name); m != nil {
			n, _ := strconv.Atoi(m[1])
			return n
		}
		if s.outline >= 0 && s.outline < 9 {
			return s.outline + 1
		}
	}
	return 0
}

// styleChain returns the style id names and the styles it is based on,
// nearest first (at most ten: a loop of basedOn ends there).
func styleChain(styles map[string]docxStyle, id string) []docxStyle {
	var out []docxStyle
	for id != "" && len(out) < 10 {
		s, ok := styles[id]
		if !ok {
			break
		}
		out = append(out, s)
		id = s.basedOn
	}
	return out
}

// listOf returns the list a style numbers its paragraphs in, through
// the styles it is based on.
func listOf(styles map[string]docxStyle, id string) (numID string, ilvl int) {
	for _, s := range styleChain(styles, id) {
		if s.numID != "" {
			return s.numID, s.ilvl
		}
	}
	return "", 0
}

// docxReader walks word/document.xml.
type docxReader struct {
	styles map[string]docxStyle
	lists  docxCounter
	blocks []Block
	refs   map[string][]string // note kind → ids in order of reference

	paras  []*docxPara  // open paragraphs (a text box nests one in another)
	tables []*docxTable // open tables
	skip   int          // depth inside content that is not text
}

type docxPara struct {
	text    strings.Builder
	style   string
	outline int
	// numID and ilvl are the paragraph's own numbering properties; ilvl
	// is -1 when it sets none.
	numID string
	ilvl  int
}

type docxTable struct {
	rows [][]string
	row  []string
	cell strings.Builder
}

func (r *docxReader) parse(b []byte) error {
	r.refs = map[string][]string{}
	d := xmlDecoder(b)
	inText := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: word/document.xml: %v", ErrCorrupt, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if r.skip > 0 {
				r.skip++
				continue
			}
			switch t.Name.Local {
			case "Fallback", "delText", "instrText", "footnotePr", "endnotePr", "sectPr", "pPrChange":
				// Fallback repeats the Choice beside it; deleted text,
				// field codes and the properties a tracked change replaced
				// are not what the page shows.
				r.skip = 1
			case "p":
				r.paras = append(r.paras, &docxPara{outline: -1, ilvl: -1})
			case "numId":
				if p := r.para(); p != nil {
					p.numID = attrVal(t, "val")
				}
			case "ilvl":
				if p := r.para(); p != nil {
					p.ilvl = atoiOr(attrVal(t, "val"), 0)
				}
			case "pStyle":
				if p := r.para(); p != nil {
					p.style = attrVal(t, "val")
				}
			case "outlineLvl":
				if p := r.para(); p != nil {
					if n, err := strconv.Atoi(attrVal(t, "val")); err == nil {
						p.outline = n
					}
				}
			case "t":
				inText = true
			case "tab", "br", "cr":
				if p := r.para(); p != nil {
					p.text.WriteByte(' ')
				}
			case "footnoteReference", "endnoteReference":
				kind := strings.TrimSuffix(t.Name.Local, "Reference")
				r.refs[kind] = append(r.refs[kind], attrVal(t, "id"))
			case "tbl":
				r.tables = append(r.tables, &docxTable{})
			case "tr":
				if tb := r.table(); tb != nil {
					tb.row = nil
				}
			case "tc":
				if tb := r.table(); tb != nil {
					tb.cell.Reset()
				}
			}
		case xml.EndElement:
			if r.skip > 0 {
				r.skip--
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				r.endPara()
			case "tc":
				if tb := r.table(); tb != nil {
					tb.row = append(tb.row, collapse(tb.cell.String()))
				}
			case "tr":
				if tb := r.table(); tb != nil {
					tb.rows = append(tb.rows, tb.row)
				}
			case "tbl":
				r.endTable()
			}
		case xml.CharData:
			if inText && r.skip == 0 {
				if p := r.para(); p != nil {
					p.text.Write(t)
				}
			}
		}
	}
}

func (r *docxReader) para() *docxPara {
	if len(r.paras) == 0 {
		return nil
	}
	return r.paras[len(r.paras)-1]
}

func (r *docxReader) table() *docxTable {
	if len(r.tables) == 0 {
		return nil
	}
	return r.tables[len(r.tables)-1]
}

// endPara closes a paragraph: into the table cell it is in, or as a block.
func (r *docxReader) endPara() {
	p := r.para()
	if p == nil {
		return
	}
	r.paras = r.paras[:len(r.paras)-1]
	text := collapse(p.text.String())
	if text == "" {
		return
	}
	numID, ilvl := listOf(r.styles, p.style)
	if p.numID != "" {
		numID, ilvl = p.numID, max(p.ilvl, 0)
	} else if p.ilvl >= 0 {
		ilvl = p.ilvl
	}
	if label := r.lists.label(numID, ilvl); label != "" {
		text = joinLabel(label, text)
	}
	if tb := r.table(); tb != nil && len(r.paras) == 0 {
		if tb.cell.Len() > 0 {
			tb.cell.WriteByte(' ')
		}
		tb.cell.WriteString(text)
		return
	}
	level := headingLevelOf(r.styles, p.style)
	if p.outline >= 0 && p.outline < 9 {
		level = p.outline + 1
	}
	if level > 0 {
		r.blocks = append(r.blocks, Block{Kind: Heading, Level: level, Text: text})
		return
	}
	r.blocks = append(r.blocks, Block{Kind: Paragraph, Text: text})
}

// endTable writes a table: a grid with a header row as "header: value"
// rows; a single row or column (a layout table) as plain paragraphs.
func (r *docxReader) endTable() {
	tb := r.table()
	if tb == nil {
		return
	}
	r.tables = r.tables[:len(r.tables)-1]
	if outer := r.table(); outer != nil {
		// A table inside a cell: its text joins the outer cell.
		for _, row := range tb.rows {
			if outer.cell.Len() > 0 {
				outer.cell.WriteByte(' ')
			}
			outer.cell.WriteString(strings.Join(row, " "))
		}
		return
	}
	r.blocks = append(r.blocks, tableBlocks(tb.rows)...)
}

// tableBlocks writes the rows of a table. A grid of two or more rows and
// columns takes its first row as the header.
func tableBlocks(rows [][]string) []Block {
	cols := 0
	for _, row := range rows {
		cols = max(cols, len(row))
	}
	var out []Block
	if len(rows) < 2 || cols < 2 {
		for _, row := range rows {
			for _, cell := range row {
				if cell != "" {
					out = append(out, Block{Kind: Paragraph, Text: cell})
				}
			}
		}
		return out
	}
	header := rows[0]
	for _, row := range rows[1:] {
		if line := rowLine(header, row); line != "" {
			out = append(out, Block{Kind: Paragraph, Text: line})
		}
	}
	return out
}

// docxNotes reads footnotes or endnotes in the order the body refers to
// them, numbered as Word numbers them.
func docxNotes(z *ooxml, kind string, order []string) ([]Note, error) {
	if len(order) == 0 {
		return nil, nil
	}
	b, err := z.read("word/" + kind + "s.xml")
	if errors.Is(err, errNoPart) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	text := map[string]string{}
	d := xmlDecoder(b)
	var (
		id     string
		cur    strings.Builder
		inText bool
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: word/%ss.xml: %v", ErrCorrupt, kind, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case kind:
				id = attrVal(t, "id")
				cur.Reset()
			case "t":
				inText = true
			case "p", "tab", "br":
				if cur.Len() > 0 {
					cur.WriteByte(' ')
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case kind:
				text[id] = collapse(cur.String())
			case "t":
				inText = false
			}
		case xml.CharData:
			if inText {
				cur.Write(t)
			}
		}
	}
	var notes []Note
	for i, ref := range order {
		if t := text[ref]; t != "" {
			label := strconv.Itoa(i + 1)
			if kind == "endnote" {
				label = roman(i + 1)
			}
			notes = append(notes, Note{Label: label, Text: t})
		}
	}
	return notes, nil
}

// roman writes n in lower-case Roman numerals, as Word numbers endnotes.
func roman(n int) string {
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix", "v", "iv", "i"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}

// joinLabel writes a list item's label before its text, with a space
// (1. text, 第一章 text) but after the Chinese punctuation that ends a
// label (一、text, （一）text, 一．text).
func joinLabel(label, text string) string {
	if r, _ := utf8.DecodeLastRuneInString(label); strings.ContainsRune("、．）】〕", r) {
		return label + text
	}
	return label + " " + text
}
