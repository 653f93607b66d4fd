package extract

import (
	"bytes"
	"fmt"

	"github.com/xuri/excelize/v2"
)

// readXLSX reads an Excel workbook with excelize: each visible sheet is a
// heading, and each row below the sheet's first (the header) a paragraph
// of "header: value" pairs, so that a single cell can be found and cited
// with the name of its column.
func readXLSX(raw []byte, lim Limits) (*Content, error) {
	// The archive's declared sizes are checked here before excelize
	// inflates anything (Go's zip reader holds members to them).
	z, err := openOOXML(raw, lim)
	if err != nil {
		return nil, err
	}
	var declared uint64
	for _, f := range z.files {
		declared += f.UncompressedSize64
	}
	if declared > uint64(lim.MaxInflatedBytes) {
		return nil, z.over()
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw), excelize.Options{
		UnzipSizeLimit:    lim.MaxInflatedBytes,
		UnzipXMLSizeLimit: lim.MaxInflatedBytes, // keep worksheets in memory, never in temporary files
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	defer f.Close()

	c := &Content{Type: TypeXLSX, Encoding: EncUTF8, Meta: z.coreMeta()}
	total := 0
	for _, sheet := range f.GetSheetList() {
		if visible, err := f.GetSheetVisible(sheet); err == nil && !visible {
			continue
		}
		rows, err := f.Rows(sheet)
		if err != nil {
			return nil, fmt.Errorf("%w: sheet %s: %v", ErrCorrupt, sheet, err)
		}
		var (
			header []string
			blocks []Block
		)
		for rows.Next() {
			cells, err := rows.Columns()
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("%w: sheet %s: %v", ErrCorrupt, sheet, err)
			}
			for i := range cells {
				cells[i] = collapse(cells[i])
			}
			if empty(cells) {
				continue
			}
			if header == nil {
				header = cells
				continue
			}
			line := rowLine(header, cells)
			total += len(line)
			if total > lim.MaxTextBytes {
				rows.Close()
				return nil, overLimit("the %s text limit", byteSize(int64(lim.MaxTextBytes)))
			}
			blocks = append(blocks, Block{Kind: Paragraph, Text: line})
		}
		rows.Close()
		if header != nil && blocks == nil {
			// A sheet of one row: the row is the content.
			blocks = append(blocks, Block{Kind: Paragraph, Text: rowLine(nil, header)})
		}
		if len(blocks) > 0 {
			c.Blocks = append(c.Blocks, Block{Kind: Heading, Level: 2, Text: sheet})
			c.Blocks = append(c.Blocks, blocks...)
		}
	}
	return c, nil
}

func empty(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}
