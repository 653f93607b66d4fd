package analysis

import (
	"strings"
	"testing"
)

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"他说：“会谈很成功。”然后离开了。", []string{"他说：“会谈很成功。”", "然后离开了。"}},
		{"真的吗？！是的……好", []string{"真的吗？！", "是的……", "好"}},
		{"The U.S. grew 3.5 percent. Then it fell! OK", []string{"The U.S. grew 3.5 percent.", "Then it fell!", "OK"}},
		{"第一段\n第二段；第三句", []string{"第一段", "第二段；", "第三句"}},
		// 〕 closes a sentence as 」 does.
		{"〔他们说：“好。〕下一句。", []string{"〔他们说：“好。〕", "下一句。"}},
		// A list number at the start of a line is not a sentence.
		{"1. First point. 2. Second", []string{"1. First point.", "2. Second"}},
		{"是的!他说?好", []string{"是的!", "他说?", "好"}},
		{"见 a.php?id=3 页", []string{"见 a.php?id=3 页"}},
		// A stop inside a title in 《》 is the title's own (CMRC 2018
		// trial, DRCD dev).
		{"《卡拉OK.LIVE！‧台北‧我》是张雨生发行的第六张国语专辑。专辑中所有歌曲皆由他创作。", []string{"《卡拉OK.LIVE！‧台北‧我》是张雨生发行的第六张国语专辑。", "专辑中所有歌曲皆由他创作。"}},
		{"他發表《物體慣性與其所含能量有關嗎?》一文。", []string{"他發表《物體慣性與其所含能量有關嗎?》一文。"}},
		// An unclosed 《 does not hold the sentence open.
		{"书名号《不闭合。下一句。", []string{"书名号《不闭合。", "下一句。"}},
		// Initials and titles before a name, in Chinese text too.
		{"73岁的J. Frank Scrase来自维多利亚。美国医生维珍尼亚·阿普伽(Dr. Virginia Apgar)发明了它。", []string{"73岁的J. Frank Scrase来自维多利亚。", "美国医生维珍尼亚·阿普伽(Dr. Virginia Apgar)发明了它。"}},
		{"Tools, e.g. vet, help. Mr. Smith agreed.", []string{"Tools, e.g. vet, help.", "Mr. Smith agreed."}},
		{"  \n ", nil},
	}
	for _, tt := range tests {
		got := SplitSentences(tt.in)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("SplitSentences(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSentenceSpansIndexRunes(t *testing.T) {
	s := "美国同意。中方将暂停实施一年；双方满意。"
	rs := []rune(s)
	var got []string
	for _, sp := range SentenceSpans(s) {
		got = append(got, string(rs[sp.Start:sp.End]))
	}
	if want := "美国同意。|中方将暂停实施一年；|双方满意。"; strings.Join(got, "|") != want {
		t.Errorf("spans cut %q, want %q", strings.Join(got, "|"), want)
	}
}

func TestEndsAtWaitsForWhatFollowsALatinStop(t *testing.T) {
	text := []rune("It rose 3.")
	if EndsAt(text, 0, len(text)-1, false) {
		t.Error("a dot at the end of a stream ended a sentence before the next piece showed whether it is a decimal point")
	}
	if !EndsAt(text, 0, len(text)-1, true) {
		t.Error("a dot at the end of the text did not end the sentence")
	}
	// A stop after an open 《 waits for what follows: the 》 of a title,
	// or more text.
	text = []rune("张雨生发行了《卡拉OK.LIVE！")
	if EndsAt(text, 0, len(text)-1, false) {
		t.Error("a ！ after an open 《 at the end of a stream ended a sentence before the next piece showed whether the title closes")
	}
	if !EndsAt(text, 0, len(text)-1, true) {
		t.Error("a ！ after a 《 that never closes did not end the sentence")
	}
}

func TestEndsSentence(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"他离开了。", true},
		{"他说：“好。”", true},
		{"结果如何？", true},
		{"It ended.", true},
		{"第一，", false},
		{"包括以下几点；", false}, // a clause stop: the sentence goes on
		{"标题", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := EndsSentence(tt.in); got != tt.want {
			t.Errorf("EndsSentence(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestLastNonCloser(t *testing.T) {
	if r := LastNonCloser("他说：“好。”）  "); r != '。' {
		t.Errorf("LastNonCloser = %q", r)
	}
	if r := LastNonCloser("”」"); r != 0 {
		t.Errorf("LastNonCloser of closers only = %q", r)
	}
}
