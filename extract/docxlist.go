package extract

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Word numbers a list's paragraphs itself: the numbers ("1.", "（一）",
// "①") are not in the paragraph's text but in word/numbering.xml, which
// a paragraph points into with its numbering properties (numId and ilvl,
// on the paragraph or on its style). The reader writes each numbered
// paragraph's label before its text, as the page shows it, so that the
// points of a list can be told, counted and cited. A bullet is written •,
// whatever character Word draws it with (most are a symbol font's private
// characters).

// docxLevel is how one level of a list numbers its paragraphs.
type docxLevel struct {
	start int
	// format is w:numFmt (decimal, chineseCounting, bullet, …); text is
	// w:lvlText, the label with %1…%9 standing for the levels' numbers.
	format, text string
}

// docxNumbering is what word/numbering.xml defines: the levels of each
// abstract list, and the abstract list of each numbering instance.
type docxNumbering struct {
	abstract map[string]map[int]docxLevel
	num      map[string]string // numId → abstractNumId
	// starts are a numbering instance's overrides of a level's start.
	starts map[string]map[int]int
}

// docxNumberingOf reads word/numbering.xml; a file without one numbers
// nothing.
func docxNumberingOf(z *ooxml) (*docxNumbering, error) {
	n := &docxNumbering{abstract: map[string]map[int]docxLevel{}, num: map[string]string{}, starts: map[string]map[int]int{}}
	b, err := z.read("word/numbering.xml")
	if errors.Is(err, errNoPart) {
		return n, nil
	}
	if err != nil {
		return nil, err
	}
	d := xmlDecoder(b)
	var (
		abs, num string
		lvl      = -1
		cur      docxLevel
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: word/numbering.xml: %v", ErrCorrupt, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "abstractNum":
				abs = attrVal(t, "abstractNumId")
				n.abstract[abs] = map[int]docxLevel{}
			case "num":
				num = attrVal(t, "numId")
			case "abstractNumId":
				if num != "" {
					n.num[num] = attrVal(t, "val")
				}
			case "lvl", "lvlOverride":
				lvl = atoiOr(attrVal(t, "ilvl"), -1)
				cur = docxLevel{start: 1}
			case "start":
				cur.start = atoiOr(attrVal(t, "val"), 1)
			case "startOverride":
				if num != "" && lvl >= 0 {
					if n.starts[num] == nil {
						n.starts[num] = map[int]int{}
					}
					n.starts[num][lvl] = atoiOr(attrVal(t, "val"), 1)
				}
			case "numFmt":
				cur.format = attrVal(t, "val")
			case "lvlText":
				cur.text = attrVal(t, "val")
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "lvl":
				if abs != "" && num == "" && lvl >= 0 && lvl < 9 {
					n.abstract[abs][lvl] = cur
				}
				lvl = -1
			case "lvlOverride":
				lvl = -1
			case "abstractNum":
				abs = ""
			case "num":
				num = ""
			}
		}
	}
}

// docxCounter numbers a document's list paragraphs in order: each
// numbering instance counts its levels, and a level's number restarts
// when a paragraph of a level above it comes.
type docxCounter struct {
	def    *docxNumbering
	counts map[string]*[9]int
}

// label returns the label of the next paragraph numbered by numId at level
// ilvl, and counts it; • for a bullet, "" for an undefined list.
func (c *docxCounter) label(numID string, ilvl int) string {
	levels := c.def.abstract[c.def.num[numID]]
	lv, ok := levels[ilvl]
	if numID == "" || numID == "0" || !ok || ilvl < 0 || ilvl >= 9 || lv.format == "none" {
		return ""
	}
	if lv.format == "bullet" {
		return "•"
	}
	if c.counts == nil {
		c.counts = map[string]*[9]int{}
	}
	counts := c.counts[numID]
	if counts == nil {
		counts = &[9]int{}
		c.counts[numID] = counts
	}
	start := func(l int) int {
		if s, ok := c.def.starts[numID][l]; ok {
			return s
		}
		return levels[l].start
	}
	if counts[ilvl] == 0 {
		counts[ilvl] = start(ilvl)
	} else {
		counts[ilvl]++
	}
	for l := ilvl + 1; l < 9; l++ {
		counts[l] = 0
	}
	text := lv.text
	for l := 0; l <= ilvl; l++ {
		v := counts[l]
		if v == 0 {
			v = start(l)
		}
		text = strings.ReplaceAll(text, "%"+strconv.Itoa(l+1), formatNumber(v, levels[l].format))
	}
	return strings.TrimSpace(text)
}
