// Package extract reads the files people bring — text and Markdown in the
// encodings Chinese files come in, web pages, PDFs, Word, PowerPoint and
// Excel files — and returns their text with its structure: title and other
// metadata, headings and paragraphs, and the page each piece of text was
// printed on. It does not clean the text; package corpus does that, on what
// this package returns, the same way for every kind of file.
//
// # Types
//
// Detect names a file's Type from its first bytes (magic numbers, via
// mimetype) and, only where the bytes cannot tell, from its name: a ZIP
// archive named .docx is a Word file, a text file named .md is Markdown, an
// HTML page named .txt is still HTML. Anything else is refused with an
// *UnsupportedError that says what the file is and which types are
// supported, so that an upload can be answered 415 before it is stored.
//
// # Extraction
//
//   - text and Markdown: UTF-8 (with or without a byte order mark), UTF-16
//     with a byte order mark, GB18030 (which includes GBK and GB2312) and
//     Big5; Content.Encoding says which was detected.
//   - HTML: the main content, found by go-readability; title, author,
//     site and date from the page's metadata. Scripts, styles, navigation
//     and sidebars never reach the text.
//   - PDF: the text layer, read by PDFium compiled to WebAssembly and run
//     by wazero (no cgo), one Page per printed page, laid out as lines with
//     indentation and blank lines where the page has them. A PDF with no
//     text layer (a scan) fails with ErrNoTextLayer; one whose text layer
//     is garbage (private-use or replacement characters, control bytes, or
//     no Chinese where its fonts are Chinese) fails with ErrGarbled.
//   - DOCX: paragraphs in order, headings from the Title and Heading
//     styles (or an outline level), tables as "header: value" rows,
//     footnotes and endnotes as Notes.
//   - PPTX: slides in presentation order, one page each; the title of a
//     slide is a heading, its other text paragraphs.
//   - XLSX: each sheet a heading, each row a paragraph of "header: value"
//     pairs, so that a single cell can be found and cited.
//
// # Limits
//
// Files are untrusted. Limits bound the size of a file, the bytes a ZIP
// member may inflate to, the number of pages, the text a file may yield,
// the nesting depth of an HTML page, the memory of the PDF engine and the
// time one file may take. A file that crosses a limit fails with a
// *LimitError naming it; a panic inside a parser fails that file too. The
// process goes on.
package extract
