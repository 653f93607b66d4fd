// Package hanzi provides the Chinese-script handling that every stage of
// wenda shares: Traditional↔Simplified conversion through an OpenCC port,
// script detection, and the folding that makes index text comparable across
// scripts, widths and letter case.
//
// Text that users see keeps its original script; only index and matching
// text is folded.
package hanzi
