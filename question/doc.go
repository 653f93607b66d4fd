// Package question analyses a question once, for every stage that needs to
// know what it asks: the type of answer it expects (a number with its
// unit, a date, a person, a place, an organisation, a title in 《》, a
// definition, a list, a reason, yes or no), the interrogative phrase and
// the noun it asks about ("哪一個國家" asks for a place), the content terms
// that say what it is about, and the constraints a passage must meet
// literally to answer it (numbers with their units, Latin names, titles).
// A question that asks two things is cut into its parts, each analysed as
// a question of its own; a definition question names its subject.
//
// Retrieval's relevance signal, the extractive reader, the answerability
// decision and the LLM prompt all read the same Analysis, so that they
// cannot disagree about what was asked. Analysis is lexical and
// rule-based: it needs no model and works offline, in Simplified and
// Traditional script (it reads the folded question) and, more coarsely, in
// English.
package question
