package extract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Office Open XML files (DOCX, PPTX, XLSX) are ZIP archives of XML parts.
// Every part is read through one budget of inflated bytes, so a ZIP bomb
// fails at the limit instead of filling memory.

// maxZipMembers bounds the members of an archive: Office files have tens.
const maxZipMembers = 10000

type ooxml struct {
	files  map[string]*zip.File
	budget int64 // inflated bytes still allowed
	limit  int64
}

func openOOXML(raw []byte, lim Limits) (*ooxml, error) {
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return nil, fmt.Errorf("%w: not a readable ZIP archive: %v", ErrCorrupt, err)
	}
	if len(zr.File) > maxZipMembers {
		return nil, overLimit("the limit of %d archive members (the file has %d)", maxZipMembers, len(zr.File))
	}
	z := &ooxml{files: map[string]*zip.File{}, budget: lim.MaxInflatedBytes, limit: lim.MaxInflatedBytes}
	for _, f := range zr.File {
		z.files[strings.TrimPrefix(f.Name, "/")] = f
	}
	return z, nil
}

var errNoPart = errors.New("missing part")

// read inflates one part, within the budget.
func (z *ooxml) read(name string) ([]byte, error) {
	f, ok := z.files[name]
	if !ok {
		return nil, fmt.Errorf("%w %s", errNoPart, name)
	}
	if f.UncompressedSize64 > uint64(z.budget) {
		return nil, z.over()
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, name, err)
	}
	defer rc.Close()
	// The declared size may lie; the reader is cut at the budget.
	b, err := io.ReadAll(io.LimitReader(rc, z.budget+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, name, err)
	}
	if int64(len(b)) > z.budget {
		return nil, z.over()
	}
	z.budget -= int64(len(b))
	return b, nil
}

func (z *ooxml) over() error {
	return overLimit("the %s limit on inflated bytes (a ZIP bomb?)", byteSize(z.limit))
}

// rels reads the relationships of a part: id → target path inside the
// archive.
func (z *ooxml) rels(part string) (map[string]string, error) {
	dir, file := path.Split(part)
	b, err := z.read(dir + "_rels/" + file + ".rels")
	if err != nil {
		return nil, err
	}
	var doc struct {
		Rels []struct {
			ID         string `xml:"Id,attr"`
			Target     string `xml:"Target,attr"`
			TargetMode string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%w: %s relationships: %v", ErrCorrupt, part, err)
	}
	out := map[string]string{}
	for _, r := range doc.Rels {
		if r.TargetMode == "External" {
			continue
		}
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join(dir, t)
		}
		out[r.ID] = t
	}
	return out, nil
}

// coreMeta reads docProps/core.xml: title, creator and creation date.
func (z *ooxml) coreMeta() Meta {
	b, err := z.read("docProps/core.xml")
	if err != nil {
		return Meta{}
	}
	var core struct {
		Title   string `xml:"title"`
		Creator string `xml:"creator"`
		Created string `xml:"created"`
	}
	if xml.Unmarshal(b, &core) != nil {
		return Meta{}
	}
	m := Meta{Created: normDate(core.Created)}
	if t := collapse(core.Title); plausibleTitle(t) {
		m.Title = t
	}
	if a := collapse(core.Creator); plausibleAuthor(a) {
		m.Authors = []string{a}
	}
	return m
}

// xmlDecoder returns a decoder for an untrusted part: strict about
// nothing, since Office files from many producers must read.
func xmlDecoder(b []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		return in, nil // parts are UTF-8 (or UTF-16, which Office never writes)
	}
	return d
}

// attrVal returns the value of the attribute with the given local name.
func attrVal(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
