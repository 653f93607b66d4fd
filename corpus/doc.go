// Package corpus provides the articles wenda answers from: the shipped
// corpus embedded in the binary (Embedded), loading of a folder of .txt and
// .md files (Load, LoadDir), and the cleaning (Clean) that turns each raw
// file into a Document whose Text later stages chunk and cite.
//
// # Files
//
// An article is a UTF-8 text file that may open with YAML front matter
// (title, authors, source, url, date, script, format, seed) between "---"
// lines. What front matter leaves out is worked out from the body: the
// title from the first Markdown heading or the first paragraph, the format
// by DetectFormat, the script by hanzi.Detect, a date or byline from inline
// metadata. A byte order mark and CRLF line endings are accepted. A file
// that cannot be an article (binary, not UTF-8, empty after cleaning, over
// Options.MaxFileBytes) is reported as a *FileError and skipped; the rest
// still load, in path order.
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
