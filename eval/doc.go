// Package eval measures how well wenda answers a set of questions: whether
// retrieval finds the passages that hold the evidence, whether answers state
// the expected facts, whether their [n] citations point at real passages that
// support them, and whether wenda refuses exactly the questions the articles
// cannot answer.
//
// A question set is a JSON Lines file (see LoadQuestions); the set shipped
// with wenda is embedded (Default), so the binary can evaluate itself
// anywhere, and any other set in the same format runs unchanged. A Runner
// asks every question through two small interfaces, Searcher and Asker, and
// returns a typed Report with the metrics overall, per tag and per question,
// which WriteTable, WriteMarkdown and WriteHTML render.
//
// # Matching
//
// Evidence spans and answer facts are matched as substrings after both sides
// are normalised the same way (Normalize): NFKC, Traditional→Simplified, lower
// case, all white space removed (so a span matches across a hard wrap) and
// digit-grouping commas removed ("1,304亿" matches "1304亿"). A passage is
// relevant to an evidence group when it contains one of the group's
// alternative spans, and relevant to the question when it is relevant to any
// group.
//
// # Metrics
//
// Retrieval metrics cover answerable questions only and are computed on the
// first ten passages of a search, whatever the k used for answering:
//
//   - hit@1, hit@5: a relevant passage at rank 1, or within the first 5.
//   - recall@5: the share of evidence groups covered by the first 5 passages;
//     a multi-hop question needs every group.
//   - MRR@10: the reciprocal rank of the first relevant passage (0 beyond 10).
//   - nDCG@10: binary gains (relevant passage or not), discounted by
//     log2(rank+1). The ideal ranking puts max(G, R) relevant passages first,
//     capped at 10, where G is the number of evidence groups and R the number
//     of relevant passages retrieved. G because a complete answer needs at
//     least one passage per group, so finding one relevant passage for a
//     two-group question scores below 1; R so that retrieving more relevant
//     passages than groups can never push the score above 1. The corpus-wide
//     count of relevant passages is not used: it depends on the chunker, and
//     a span repeated in ten chunks would make every question look hard.
//
// Answer metrics:
//
//   - fact recall: the share of a question's answer_facts groups stated in the
//     answer text (citation markers removed), averaged over answerable
//     questions. An answerable question that wenda refused scores 0, so an
//     answerer that refuses everything cannot look good.
//   - citation validity: the share of [n] markers in an answer that point at a
//     citation the answer supplies with a passage (a chunk id and a quote),
//     averaged over answers with at least one marker.
//   - citation precision: the share of an answer's citations whose quote
//     contains an evidence span of the question, averaged over answered
//     (not refused) answerable questions with citations.
//   - citation recall: the share of answer sentences with at least one marker
//     pointing at a citation whose quote contains evidence, averaged over
//     answered answerable questions.
//   - negative rejection: the share of unanswerable questions refused.
//   - false refusal: the share of answerable questions refused (lower is
//     better).
//   - refusal AUC: the area under the ROC of the answerer's answerability
//     score, when it reports one: the probability that an unanswerable
//     question scores below an answerable one.
//   - short-answer EM and F1: CMRC 2018's official exact match and
//     character F1 of the answer's short_answer against the first group of
//     answer facts, over answerable questions (short_em, short_f1) and over
//     factoid ones (factoid_em, factoid_f1: one fact group whose shortest
//     alternative has at most 16 characters); a refusal or a missing short
//     answer scores 0.
//   - factoid answer length: the median length in characters of the
//     answers to factoid questions.
//   - repeated sentences: the share of answers that say a sentence twice.
//   - faithfulness (only with a Judge): the share of answer claims that an
//     LLM judge finds supported by the passages they cite.
//
// Every average is a macro average over questions: each question weighs the
// same however many sentences or citations its answer has. A metric with no
// question to average over is reported as null (— in tables), never as 0.
//
// Latency is reported per stage (retrieval, generation, verification, total)
// as the 50th and 95th percentiles by nearest rank, in milliseconds.
package eval
