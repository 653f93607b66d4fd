// Package answer turns a question into a short answer in which every
// sentence carries [n] citations that have been checked against the
// passages they point at.
//
// A Service runs one pipeline for both answerers:
//
//  1. validate the question (ErrEmptyQuestion, ErrQuestionTooLong);
//  2. make it standalone: offline the previous user turn is appended to
//     the retrieval query; with an LLM a follow-up is rewritten into a
//     standalone question, and an English question into a Chinese one;
//  3. analyse the question once (package question: the answer type it
//     expects, its focus terms and constraints), retrieve passages, and
//     read them with the extractive reader (extractive.go, span.go): the
//     best sentences and, for a factoid question, the candidate short
//     answers, ranked by the span model;
//  4. decide answerability: the answerability model (answerability.go), a
//     logistic regression trained by "wenda train", estimates from the
//     question, the passages and the reader's findings the probability
//     that the passages answer, and the service refuses below its
//     threshold, without generating; then the LLM answers from numbered,
//     fenced passages (package prompts, told the answer type expected),
//     or the reader's sentences are the answer, converted to the
//     question's script, with the short answer beside them;
//  5. verify every sentence against the passages it cites (verify.go),
//     drop the ones that fail, renumber the surviving markers 1..n in order
//     of first use, and refuse when no sentence survives.
//
// Refusal is the system's decision, from the answerability model and the
// verification result, on both paths; the model's own refusal sentence only
// chooses the reason given.
//
// # Verification
//
// A sentence is supported when every number, date, percentage and Latin
// name in it occurs in a passage it cites (compared folded, so script,
// width and case do not matter) and enough of its character bigrams occur
// there (DefaultMinOverlap). An unsupported sentence is dropped rather than
// shown without its marker: a sentence without a citation is exactly the
// unchecked claim wenda exists to avoid. Markers outside the supplied
// passages, and markers of cited passages that back nothing in their
// sentence, are removed. Passages that contain instructions to the model
// ("忽略之前的所有指令…") are shown to the model as fenced data but never
// count as evidence, so obeying them cannot produce a verified sentence.
//
// # Streaming
//
// AskStream emits the retrieved passages, then each verified sentence as a
// delta as soon as it is complete, then the citations and the final
// Answer. Because deltas are whole verified sentences, a streamed answer
// never shows a claim that verification later drops, nor half a marker.
// When the model fails before any sentence was shown, the service can fall
// back to the extractive answer (Options.FallbackOnError); otherwise model
// failures are *endpoint.Error values wrapping endpoint.ErrUnavailable,
// ErrTimeout or ErrRejected, which a server maps to its status codes.
package answer
