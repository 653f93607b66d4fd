// Package corpus provides the documents wenda answers from: the shipped
// articles embedded in the binary (Embedded), the one path from a file to
// a cleaned Document (Parser.Parse, used by a corpus folder, `wenda add`
// and uploads alike), loading of a folder (Load, LoadDir), and the
// cleaning (Clean) every file's text goes through.
//
// # Files
//
// Parser.Parse hands a file's bytes to package extract, which detects its
// type from the content and reads it: text and Markdown in UTF-8, UTF-16,
// GB18030/GBK or Big5; HTML (main content); PDF (text layer, by page);
// DOCX, PPTX and XLSX. The cleaning rules then run on what was read, and
// the result is a Document. A text file may open with YAML front matter
// (title, authors, source, url, date, script, format, seed) between "---"
// lines; other files give their own metadata (a page's og:title and
// publication date, a PDF's or Office file's title and author). What is
// missing is worked out from the body: the title from the first heading or
// paragraph, the format by DetectFormat (text files), the script by
// hanzi.Detect, a date or byline from inline metadata. A file that cannot
// be a document (unsupported type, scanned or garbled PDF, binary data,
// empty after cleaning, over a limit) is reported as a *FileError with the
// reason; a folder's other files still load, in path order.
//
// # Pages
//
// Documents from PDFs (and PowerPoint files, whose slides count as pages)
// record in Pages the rune offset of Text where each page begins, the way
// Sections record headings; PageAt maps any offset, and so any passage or
// citation, to its page. The PDF rules see each line with its page, so a
// paragraph re-joined across a page break still says where the break was.
//
// # Cleaning
//
// The rules are generic to a kind of source, never matched against the
// sentences of particular articles:
//
//   - every format: line endings, byte order marks, zero-width and control
//     characters, odd spaces and HTML entities are normalised; inline
//     metadata at the top ("date 2025-10-31", a timestamp, a byline) is
//     lifted into the Document; editors' credits and cataloguing lines go;
//     numbered Chinese headings ("一、", "（一）", "第一章") become Sections;
//     a paragraph repeating an earlier one goes.
//   - web: breadcrumbs, share widgets and counters go, and the page is cut
//     at the first recommendation block, platform notice or list of
//     timestamped headlines after the article.
//   - pdf: running headers, page numbers, copyright and contact lines go;
//     footnotes move to Notes; hard-wrapped lines are joined back into
//     paragraphs; footnote markers glued after sentences are removed.
//   - markdown: headings become Sections, thematic breaks and markup go,
//     footnote definitions move to Notes and their markers leave the body,
//     and a paragraph split by a page break is joined again.
//
// The golden files in testdata show the result for each shipped article;
// they are the specification of the rules.
//
// # Text, offsets and notes
//
// Document.Text is paragraphs separated by one blank line; a paragraph
// never contains a line break. Offsets that later stages record, and
// Section.Start, are rune offsets into Text.
//
// Footnotes are taken out of the body paragraphs into Document.Notes: a
// footnote printed at the foot of a PDF page lands in the middle of the
// sentence that runs over the page break. They are then appended after the
// body, one paragraph each, under a section of their own ("注释"), so that
// chunks of body text never contain them (chunks do not cross sections)
// while a fact stated only in a footnote — a statistic with its source —
// can still be found and cited with offsets into Text. Labels are as
// printed, so they repeat where a source numbers notes afresh on each page.
package corpus
