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
