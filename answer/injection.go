package answer

import (
	"regexp"

	"wenda/analysis"
	"wenda/hanzi"
)

// injectionRE matches sentences in an article that address the model rather
// than the reader: "忽略之前的所有指令", "ignore previous instructions", "你现在
// 是……", "system prompt". It runs on folded text, so Traditional spellings
// match too.
var injectionRE = regexp.MustCompile(`(?i)` +
	`(忽略|无视|忘记|忘掉|忽视|不要理会|不要遵守)[^。！？；]{0,8}(指令|指示|提示词|提示|规则|设定|要求)` +
	`|(直接|只|仅)(回答|回复|输出)[:：]?\s*[“"「『]` +
	`|系统提示|系统指令|你现在是|从现在(开始|起)[，,]?你` +
	`|\b(ignore|disregard|forget)\s+(all\s+|any\s+)?(the\s+|your\s+)?(previous|prior|above|earlier|preceding|former)?\s*(instructions|prompts?|rules|directions)` +
	`|system\s+prompt|you\s+are\s+now\b|new\s+instructions`)

// hasInjection reports whether a passage contains a sentence that addresses
// the model rather than the reader. Such a passage is still shown to the
// model, fenced as untrusted data, but it is never evidence: the extractive
// answerer does not quote it and verification accepts no claim on its
// strength, so a model that obeyed it gains nothing. The whole passage is
// set aside, not just the sentence, because the claim an attacker wants
// repeated can sit in the sentence next to the instruction.
func hasInjection(text string) bool {
	for _, s := range analysis.SplitSentences(text) {
		if injectionRE.MatchString(hanzi.Fold(s)) {
			return true
		}
	}
	return false
}
