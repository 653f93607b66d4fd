package answer

import (
	"fmt"

	"wenda/hanzi"
	"wenda/prompts"
)

// refusalKind says why wenda refused.
type refusalKind int

const (
	refuseLowRelevance     refusalKind = iota // the answerability decision refused
	refuseNoPassages                          // retrieval found nothing
	refuseNoSentence                          // no sentence of the passages answers it
	refuseModel                               // the model said the passages hold no answer
	refuseUnverified                          // no sentence survived verification
	refuseMissingTerms                        // a number or name of the question is in no passage
	refuseUntranslated                        // an English question, offline, over passages that share few of its words
	refuseDenied                              // a why-question whose premise the passages deny
	refuseLowRelevancePart                    // the answerability decision refused a part of a compound question
)

// The refusal codes of Answer.ReasonCode, one per refusalKind.
const (
	RefusalNoPassages   = "no_passages"
	RefusalMissingTerms = "missing_terms"
	RefusalLowRelevance = "low_relevance"
	RefusalNoSentence   = "no_sentence"
	RefusalModel        = "model_refused"
	RefusalUnverified   = "unverified"
	RefusalUntranslated = "untranslated"
	RefusalDenied       = "premise_denied"
)

// ThresholdRefusal reports whether a refusal with that code is the
// answerability threshold's: the probability fell short of it, and the
// reason says so or names the question's words the passages lack. Any
// other refusal (an English question offline, no sentence to quote, an
// answer that failed verification, the model's) comes whatever the
// probability, below the threshold as above it. A refusal without a code
// is taken as the threshold's.
func ThresholdRefusal(code string) bool {
	switch code {
	case "", RefusalLowRelevance, RefusalMissingTerms:
		return true
	}
	return false
}

var refusalCodes = map[refusalKind]string{
	refuseLowRelevance: RefusalLowRelevance,
	refuseNoPassages:   RefusalNoPassages,
	refuseNoSentence:   RefusalNoSentence,
	refuseModel:        RefusalModel,
	refuseUnverified:   RefusalUnverified,
	refuseMissingTerms: RefusalMissingTerms,
	refuseUntranslated: RefusalUntranslated,
	refuseDenied:       RefusalDenied,
	// The threshold's refusal, saying which part of the question fell
	// short of it.
	refuseLowRelevancePart: RefusalLowRelevance,
}

// reasons are the refusal reasons in Simplified Chinese and English;
// Traditional is converted from Simplified.
var reasons = map[refusalKind][2]string{
	refuseLowRelevance: {"检索到的段落很可能不包含这个问题的答案（可答概率 %.2f，低于阈值 %.2f），文章中很可能没有谈到。",
		"The passages found most likely do not answer the question (estimated probability %.2f, below the threshold %.2f); the articles most likely do not say."},
	refuseNoPassages: {"没有检索到与问题相关的段落。", "No passage matched the question."},
	refuseNoSentence: {"检索到的段落中没有能回答这个问题的句子。", "No sentence of the passages found answers the question."},
	refuseModel:      {"检索到的段落中不包含这个问题的答案。", "The passages found do not contain the answer."},
	refuseMissingTerms: {"问题中的“%s”在检索到的段落里没有出现，文章中很可能没有谈到。",
		"The passages found never mention “%s” from the question; the articles most likely do not discuss it."},
	refuseUnverified: {"回答中没有一句话能在它引用的段落里得到核实，所以不予采用。", "No sentence of the drafted answer could be verified against the passages it cites, so none is shown."},
	refuseUntranslated: {"问题是英文的，而没有配置语言模型时不做翻译：检索到的最佳段落只含有问题中 %.0f%% 的词语（按稀有程度加权）。请用中文提问，或配置一个语言模型端点来翻译问题。",
		"The question is in English, and without a language model configured it is not translated: the best passage found holds only %.0f%% of its words, weighted by how rare they are. Ask in Chinese, or configure a model endpoint to translate questions."},
	refuseLowRelevancePart: {"检索到的段落很可能不包含问题中「%s」这一部分的答案（可答概率 %.2f，低于阈值 %.2f），文章中很可能没有谈到；其余部分可以单独提问。",
		"The passages found most likely do not answer the part “%s” of the question (estimated probability %.2f, below the threshold %.2f); the articles most likely do not say. The other parts may be asked on their own."},
	refuseDenied: {"问题问的是原因，但文章说的与问题所假定的相反：「%s」",
		"The question asks why, but the documents say the opposite of what it takes as given: “%s”."},
}

// refusal fills a as a refusal in the question's language.
func refusal(a *Answer, lang prompts.Language, kind refusalKind, args ...any) {
	r := reasons[kind]
	reason := r[0]
	if lang == prompts.English {
		reason = r[1]
	}
	if len(args) > 0 {
		reason = fmt.Sprintf(reason, args...)
	}
	a.Answerable = false
	a.Text = prompts.Refusal(lang)
	a.Reason = hanzi.To(lang.Script(), reason)
	a.ReasonCode = refusalCodes[kind]
	a.Citations = []Citation{}
}
