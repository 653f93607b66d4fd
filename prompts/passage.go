package prompts

import "strings"

// Passage is one numbered passage as the model sees it. N is the number the
// model cites it by, [N].
type Passage struct {
	N      int
	Title  string
	Source string
	Date   string
	Text   string
	// Trimmed is set by Fit when Text was cut to fit the context budget.
	Trimmed bool
}

// DefaultContextRunes is the passage budget of one prompt when none is
// given: about 4,000 tokens of Chinese, which leaves room for the rules,
// the question and the answer in an 8k-token context.
const DefaultContextRunes = 6000

// minTail is the least room worth giving a trimmed passage; a shorter tail
// would be a fragment with nothing to cite.
const minTail = 80

// Fit returns the leading passages whose texts fit in budget runes, in
// order; budget <= 0 selects DefaultContextRunes. The passage that crosses
// the budget is cut at its last sentence end within the budget (or at the
// budget when there is none in its second half) and marked Trimmed; the
// passages after it are left out. The first passage is always kept, trimmed
// if it must be, so a tiny budget still yields a prompt.
func Fit(ps []Passage, budget int) []Passage {
	if budget <= 0 {
		budget = DefaultContextRunes
	}
	out := make([]Passage, 0, len(ps))
	left := budget
	for i, p := range ps {
		r := []rune(p.Text)
		if len(r) <= left {
			out = append(out, p)
			left -= len(r)
			continue
		}
		if left >= minTail || i == 0 {
			p.Text = cut(r, max(left, 1))
			p.Trimmed = true
			out = append(out, p)
		}
		break
	}
	return out
}

// cut shortens r to at most n runes, preferably just after a sentence end,
// and marks the cut with an ellipsis.
func cut(r []rune, n int) string {
	end := n
	for i := n - 1; i >= n/2; i-- {
		if strings.ContainsRune("。！？；!?;\n", r[i]) {
			end = i + 1
			break
		}
	}
	return strings.TrimSpace(string(r[:end])) + "…"
}

// fence neutralises text quoted inside a passage fence: angle brackets
// become their full-width forms and runs of three backticks become
// apostrophes, so a passage can neither close its <passage> tag, open a new
// one, nor end a code fence; and square brackets become 〔〕, so an
// article's own note markers ("……成功[3]。") cannot pass for citations of
// other passages. These forms read naturally in Chinese text and change
// nothing a reader or the model needs.
var fence = strings.NewReplacer("<", "＜", ">", "＞", "```", "'''", "[", "〔", "]", "〕", "［", "〔", "］", "〕")

// attr neutralises text quoted in a tag attribute, where a double quote
// would end the value.
var attr = strings.NewReplacer("<", "＜", ">", "＞", "```", "'''", "[", "〔", "]", "〕", "［", "〔", "］", "〕", `"`, "＂", "\n", " ")

// Neutralize returns text safe to place between passage tags.
func Neutralize(text string) string { return fence.Replace(text) }
