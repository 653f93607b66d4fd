package hanzi

import "testing"

func TestConvert(t *testing.T) {
	tests := []struct {
		name, in, simp, trad string
	}{
		{"traditional sentence", "中美關係的積極信號", "中美关系的积极信号", "中美關係的積極信號"},
		{"simplified sentence", "中美经贸团队在马德里举行谈判", "中美经贸团队在马德里举行谈判", "中美經貿團隊在馬德里舉行談判"},
		{"latin untouched", "TikTok 301", "TikTok 301", "TikTok 301"},
		{"measure word before a phrase", "一个中国原则，个中滋味", "一个中国原则，个中滋味", "一個中國原則，箇中滋味"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ToSimplified(tt.in); got != tt.simp {
				t.Errorf("ToSimplified(%q) = %q, want %q", tt.in, got, tt.simp)
			}
			if got := ToTraditional(tt.simp); got != tt.trad {
				t.Errorf("ToTraditional(%q) = %q, want %q", tt.simp, got, tt.trad)
			}
		})
	}
}

// TestConvertLeavesItsOwnScript: text is converted only out of another
// script. Converting Traditional text into Traditional again changes
// characters both scripts write (里 of a name into 裡, 台 into 臺): the
// sentence is a DRCD dev sentence (CC BY-SA 3.0).
func TestConvertLeavesItsOwnScript(t *testing.T) {
	const trad = "18世紀時曾任大學副校長的天文學家戴維·里滕豪斯創建了幾座著名的機械天文台"
	if got := ToTraditional(trad); got == trad {
		t.Fatalf("ToTraditional keeps %q: the case below tests nothing", trad)
	}
	tests := []struct {
		from, to Script
		in, want string
	}{
		{Traditional, Traditional, trad, trad},
		{Simplified, Simplified, "戴维·里滕豪斯创建了机械天文台", "戴维·里滕豪斯创建了机械天文台"},
		{Traditional, Simplified, trad, "18世纪时曾任大学副校长的天文学家戴维·里滕豪斯创建了几座著名的机械天文台"},
		{Simplified, Traditional, "中美经贸团队在马德里举行谈判", "中美經貿團隊在馬德里舉行談判"},
		{Traditional, Unknown, trad, trad},
	}
	for _, tt := range tests {
		if got := Convert(tt.from, tt.to, tt.in); got != tt.want {
			t.Errorf("Convert(%v, %v, %q) = %q, want %q", tt.from, tt.to, tt.in, got, tt.want)
		}
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		in   string
		want Script
	}{
		{"當地時間10月30日，中國國家主席習近平在韓國釜山與美國總統特朗普舉行會晤", Traditional},
		{"特朗普第二任期以来，中美关系的演变经历了三个阶段", Simplified},
		{"What did the Madrid talks cover?", Unknown},
		{"", Unknown},
	}
	for _, tt := range tests {
		if got := Detect(tt.in); got != tt.want {
			t.Errorf("Detect(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ＴｉｋＴｏｋ", "tiktok"},
		{"１３０４億美元", "1304亿美元"},
		{"關稅，", "关税,"},
		{"G2峰會", "g2峰会"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLetters(t *testing.T) {
	tests := []struct {
		s          string
		han, latin int
	}{
		{"马德里会谈讨论了哪些议题？", 12, 0},
		{"What did Bessent say about TikTok?", 0, 28},
		{"贝森特（Bessent）如何评价", 7, 7},
		{"Café 2025, 3%", 0, 4},
		{"", 0, 0},
	}
	for _, tt := range tests {
		if han, latin := Letters(tt.s); han != tt.han || latin != tt.latin {
			t.Errorf("Letters(%q) = %d, %d; want %d, %d", tt.s, han, latin, tt.han, tt.latin)
		}
	}
}
