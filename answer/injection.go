package answer

import (
	"hash/maphash"
	"regexp"
	"strings"
	"sync"

	"wenda/analysis"
	"wenda/hanzi"
)

// A sentence addresses the model rather than the reader when its form says
// so, whatever words it picks. A keyword list ("忽略之前的指令") misses the
// paraphrase ("请把上文中提到的所有先前给出的指示都抛在脑后"), so the
// detector looks for the parts such a sentence cannot do without:
//
//   - a verb of setting aside (忽略, 抛在脑后, disregard…) together with what
//     is set aside: instructions, rules, or what came before (上文, 先前,
//     previous…), in either order;
//   - role words: the model, the assistant or the system named or addressed
//     as such ("你现在是", "作为AI助手", "System:", "you are now a…", chat
//     template tokens);
//   - an order about the reply: "回答：…", "请只回答", "answer with", "say
//     that…", "输出以下内容";
//   - an order to hide or to cite falsely ("不要提及", "do not mention").
//
// Everything runs on folded text (Simplified, lower case, half-width), so
// Traditional and full-width spellings match the same patterns.
var (
	// setAsideRE: a verb of discarding; strongSetAsideRE: one that
	// articles rarely use of anything but instructions or memory.
	setAsideRE = regexp.MustCompile(`忽略|忽视|无视|漠视|忘记|忘掉|忘了|抛在脑后|抛诸脑后|抛开|抛弃|丢弃|丢掉|扔掉|舍弃|放弃遵守|不再遵守|停止遵守|不要遵守|无需遵守|不必遵守|不要理会|不必理会|别理会|不用理会|不予理会|别管` +
		`|\b(ignore|ignoring|disregard|forget|override|overrule|discard|bypass)\b`)
	strongSetAsideRE = regexp.MustCompile(`忽略|无视|忘记|忘掉|抛在脑后|抛诸脑后|不要理会|不必理会|不再遵守|停止遵守|\b(ignore|disregard|forget)\b`)
	// leadingSetAsideRE: a sentence that begins with the verb is an
	// order ("忽略之前的指令", "Ignore the rules").
	leadingSetAsideRE = regexp.MustCompile(`^[\s"“「『(（]*(请|现在|从现在起|接下来|然后|please)?[，,\s]*(` + setAsideRE.String() + `)`)
	// instructionRE names instructions themselves; earlierRE what came
	// before them in the conversation; sweepingRE the words that address
	// someone or sweep everything up. Articles set aside rules and
	// instructions too ("美方无视世贸规则"), so the object counts only in a
	// sentence that is an order or addresses someone.
	instructionRE = regexp.MustCompile(`指令|指示|提示词|提示|规则|设定|命令|约束` +
		`|\b(instructions?|prompts?|rules|directions|guidelines|constraints)\b`)
	earlierRE  = regexp.MustCompile(`上文|前文|上面|以上|之前|先前|此前|上述|前面|原先|\b(above|previous|prior|earlier|preceding|before|told)\b`)
	sweepingRE = regexp.MustCompile(`请|你|您|所有|一切|全部|任何|\b(all|everything|any|your|you)\b`)
	// roleRE: the model, assistant or system addressed or named as a role.
	roleRE = regexp.MustCompile(`你(现在|从现在起|从现在开始|此后|接下来)?(是|扮演|充当|作为|变成)(一个|一名|一位)?[^。！？；]{0,16}(ai|人工智能|助手|模型|机器人|系统|chatgpt|gpt|智能体)` +
		`|^[\s"“「『]*(请|现在|从现在起)?[，,]?(扮演|充当)(一个|一名|一位)?[^，。！？；]{0,12}(ai|人工智能|助手|模型|机器人|系统|管理员)` +
		`|(作为|身为)(一个|一名)?(ai|人工智能|语言模型|大模型|ai助手|智能助手)` +
		`|(亲爱的|嗨|你好)[,，\s]*(ai|人工智能|助手|模型|chatgpt|gpt)` +
		`|(ai|人工智能|语言模型|大模型|聊天机器人|智能助手|助手|模型)(请注意|注意|请)` +
		`|(ai|人工智能|语言模型|大模型|模型|助手)[^，。！？；]{0,10}(必须|务必|应当|应该|需要|请)(回答|回复|输出|声称|告诉用户|写明|注明)` +
		`|^[\s"“「『]*(system|assistant|user|系统|助手|用户)\s*[:：]` +
		`|<\|?(im_start|im_end|system|endoftext)\|?>|\[/?inst\]|###\s*(instruction|system|指令)` +
		`|系统提示|系统指令|新的指令|新指令|开发者模式|越狱` +
		`|\byou\s+are\s+(now\s+)?(a|an|the|my)?\s*(helpful\s+|unrestricted\s+)?(ai|assistant|model|chatbot|language\s+model|llm|system)\b` +
		`|\b(act|behave|respond)\s+as\s+(a|an|the)\s+(ai|assistant|model|system|chatbot|administrator|admin|developer|user|different|new|unrestricted)\b|\b(act|behave|respond)\s+as\s+if\s+you\b|\bpretend\s+(to\s+be|you\s+are|that)\b|\bfrom\s+now\s+on\b|\bas\s+an?\s+(ai|language\s+model|assistant)\b` +
		`|^[\s"]*(system|assistant|user)\s*:|\b(system|developer)\s+(prompt|message|mode)\b|\bnew\s+instructions?\b|\bjailbreak`)
	// replyRE: an order about what the reply must say.
	replyRE = regexp.MustCompile(`(请|须|必须|务必|只|仅|直接|一律|统一|只能|只需|只要)(回答|回复|答复|输出|作答)` +
		`|(回答|回复|答复|输出|作答)(时|中)?[^，。！？；]{0,4}(请|必须|务必|一律|只|仅|应当|应该|声称|要说|要写)` +
		`|(你|您)(的)?(回答|回复|答案|输出)(必须|应|应当|应该|只能|要|是)` +
		`|(你|您)(必须|务必|只能|只需要|只需|只要|应该|应当|需要|要)(回答|回复|答复|输出|告诉|声称|表示|说|写|引用|注明)` +
		`|^[\s"“「『]*(请)?(回答|回复|输出|答案)\s*(为|是)?\s*[:：]` +
		`|^[\s"“「『]*(请)?(输出|回复|回答|复述|重复)(以下|下面|如下|这句话|这段话)` +
		`|(告诉|通知)(用户|读者|提问者|提问的人)` +
		// In English the verb must give the order: open the sentence
		// or follow "and", "then", "please" (an article writes "a read
		// or write to that location", "officials would say only that").
		`|(^[\s"]*|\b(and|then|please|just|now)\s+)(answer|respond|reply|say|output|print|write|state)\b[^.!?]{0,20}\b(only|exactly|verbatim)\b` +
		`|\b(you|your\s+(answer|reply|response))\s+(must|should|have\s+to|need\s+to)\s+(answer|respond|reply|say|output|write|state|be)\b` +
		`|\btell\s+the\s+user\b` +
		`|^[\s"]*(answer|response|reply|output)\s*:`)
	// hideRE: an order to keep something from the reader.
	hideRE = regexp.MustCompile(`(不要|不得|切勿|禁止|请勿|千万别|不许|不准)(提及|提到|透露|引用|说明|告诉|显示|泄露)` +
		`|\b(do\s+not|don't)\s+(mention|reveal|cite|disclose|tell|say)\b|\bnever\s+(mention|reveal|disclose)\b`)
)

// isInstruction reports whether one folded sentence is addressed to the
// model rather than to a reader of the article.
func isInstruction(folded string) bool {
	switch {
	case setAsideRE.MatchString(folded) && instructionRE.MatchString(folded) &&
		(sweepingRE.MatchString(folded) || leadingSetAsideRE.MatchString(folded)):
		return true
	case strongSetAsideRE.MatchString(folded) && earlierRE.MatchString(folded) && sweepingRE.MatchString(folded):
		return true
	case roleRE.MatchString(folded), replyRE.MatchString(folded), hideRE.MatchString(folded):
		return true
	}
	return false
}

// hasInjection reports whether a passage contains a sentence that addresses
// the model rather than the reader. Such a passage is still shown to the
// model, fenced as untrusted data, but it is never evidence: the extractive
// answerer does not quote it and verification accepts no claim on its
// strength, so a model that obeyed it gains nothing. The whole passage is
// set aside, not just the sentence, because the claim an attacker wants
// repeated can sit in the sentence next to the instruction.
//
// The same passages come back question after question, and reading every
// sentence against the patterns was half the work of an extractive
// answer, so verdicts are remembered per passage text.
func hasInjection(text string) bool {
	key := maphash.String(injectionSeed, text)
	injectionMu.Lock()
	v, ok := injectionSeen[key]
	injectionMu.Unlock()
	if ok {
		return v
	}
	v = false
	for _, s := range analysis.SplitSentences(text) {
		if isInstruction(strings.ToLower(hanzi.Fold(s))) {
			v = true
			break
		}
	}
	injectionMu.Lock()
	if len(injectionSeen) >= maxInjectionSeen {
		clear(injectionSeen)
	}
	injectionSeen[key] = v
	injectionMu.Unlock()
	return v
}

// maxInjectionSeen bounds the remembered verdicts (about 40 bytes each).
const maxInjectionSeen = 1 << 16

var (
	injectionSeed = maphash.MakeSeed()
	injectionMu   sync.Mutex
	injectionSeen = make(map[uint64]bool)
)
