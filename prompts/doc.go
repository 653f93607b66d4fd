// Package prompts renders the messages wenda sends to a chat model: the
// system and user prompts that answer a question from numbered passages, and
// the prompt that rewrites a follow-up into a standalone question (or an
// English question into a Chinese search query).
//
// The templates are embedded text/template files parsed once. Passages are
// quoted as untrusted data inside <passage> tags, with any angle brackets or
// code fences in their text neutralised so that an article cannot close its
// own fence and speak as the system, and square brackets replaced so that an
// article's note markers cannot pass for citations. The package also owns the fixed refusal
// sentence the model is told to use, in each answer language, so that the
// answering stage can recognise it.
package prompts
