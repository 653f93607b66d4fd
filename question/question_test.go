package question

import (
	"slices"
	"strings"
	"testing"
)

// TestMeasure: a number question that names what it measures right
// before the 多少 that ends it asks in a unit of that kind, though it
// writes none (DRCD dev, CMRC trial, verbatim). A noun after 多少 is what
// is counted (花費多少時間), 率領 is no rate, and a unit written is Unit.
func TestMeasure(t *testing.T) {
	tests := []struct{ q, unit, measure string }{
		{"根據估計華碩總品牌價值約值多少?", "", "元"},
		{"南加大工程學院收到的最大筆捐贈金額高達多少?", "", "元"},
		{"男子和女子的平均年收入分别是多少？", "", "元"},
		{"外蒙古舉行獨立公民投票，最後贊成獨立的得票率為多少?", "", "%"},
		{"在2005年，西班牙人的语言使用比例分别是多少？", "", "%"},
		{"乍都节公园的面积有多大？", "", "平方公里"},
		{"尤金袋鼠的体重大约是多少？", "", "公斤"},
		{"光电追踪仪的追踪距离有多远？", "", "米"},
		{"搭台馬輪從南竿到東引區要花費多少時間？", "", ""},
		{"納哈出率領多少蒙古軍，駐紮在遼河以北的金山?", "", ""},
		{"鳥撞問題造成的經濟損失高達多少美元?", "美元", ""},
		// A measuring noun after the phrase names the kind too.
		{"索馬利亞的柏培拉港花了歐盟多少經費？", "", "元"},
		{"梁伯韜的公司以每股多少的價格收購盈科拓展控有的電訊盈科23%股權?", "", "元"},
		{"機車在我們生活中被普遍使用，世界上約有多少百分比的機車集中於亞洲?", "", "%"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			a := Analyze(tt.q)
			if a.Type != Number || a.Unit != tt.unit || a.Measure != tt.measure {
				t.Errorf("Analyze(%q) = type %q unit %q measure %q, want number %q %q", tt.q, a.Type, a.Unit, a.Measure, tt.unit, tt.measure)
			}
		})
	}
}

func TestAnalyzeTypes(t *testing.T) {
	tests := []struct {
		q        string
		typ      Type
		wh, head string
		unit     string
	}{
		{"首先在夜間戰鬥機上安裝雷達的是哪一個國家?", Place, "哪一个国家", "国家", ""},
		// 什么样的 asks what kind of a noun, whatever the noun; a measure
		// word may be the noun's first character (集团, 部队, 期间, 部分).
		{"金正男曾聲明北韓只有學習中國建立什麼樣的體制才會有出路?", Entity, "什么样的体制", "体制", ""},
		{"於1980年代只有什麼樣的男性才能參與投票?", Entity, "什么样的男性", "男性", ""},
		{"2006年的時候，當時電盈的第二大股東是哪一集團?", Organization, "哪一集团", "集团", ""},
		{"MP5衝鋒鎗是羅馬尼亞武裝部隊中的哪一部隊使用的武器之一?", Organization, "哪一部队", "部队", ""},
		{"下薩克森邦在什麼期間當中的一段時間為北約的駐紮重地？", Entity, "什么期间", "期间", ""},
		{"哪一部分的人口最多?", Entity, "哪一部分", "部分", ""},
		{"假苹婆的花是什么样的？", Entity, "什么样", "样", ""},
		{"議會哪一年修法限制了普選權?", Date, "哪一年", "", "年"},
		{"國家信託法於何年正式通過?", Date, "何年", "", "年"},
		{"第五届双C论坛是在哪一天举行的？", Date, "哪一天", "", "天"},
		{"蒙古汗國於1264年攻佔庫頁島派多少人的軍隊?", Number, "多少人", "", "人"},
		{"掠夺经济资源达多少美元以上?", Number, "多少美元", "", "美元"},
		{"《This Is Where I Came In》是Bee Gees的第几张原创专辑？", Number, "第几张", "", "张"},
		{"兩棲動物體內的心臟具有幾個心室?", Number, "几个", "", "个"},
		// A unit of two characters, begun inside the phrase or after it
		// (DRCD and CMRC questions).
		{"巴洛克藝術是歐洲幾世紀時的一種藝術風格?", Number, "几世纪", "", "世纪"},
		{"賓夕法尼亞州的官方植物園佔地幾英畝?", Number, "几英亩", "", "英亩"},
		{"蓝线裸顶鲷的体长约是多少公分？", Number, "多少公分", "", "公分"},
		{"目前全世界約有多少台機車?", Number, "多少台", "", "台"},
		// A noun after the phrase that is no unit or counter is what is
		// counted, not the unit the answer is written in (1/3, 23人).
		{"比布列斯特-立陶夫斯克條約中，德國失去了多少比例人口?", Number, "多少", "", ""},
		{"参加2008年北京奥运会的中国皮划艇队有多少运动员？", Number, "多少", "", ""},
		// 多大比例 asks for a share, as 多少比例 does (shipped dev).
		{"2022年3月《环球时报》民调中，有多大比例的受访者认为这是零和博弈？", Number, "多大比例", "", ""},
		{"有百分之幾十的大質量的歐和逼型恆星被認為是多星系統的一部分？", Number, "百分之几", "", ""},
		// 几月几日 asks for the day.
		{"尖閣諸島開拓日是幾月幾日?", Date, "几月几日", "", "日"},
		{"紅軍於幾月開始徵兵且反對暴力鎮壓?", Date, "几月", "", "月"},
		// 哪几天 asks which days, not how many.
		{"中美馬德里經貿會談在哪幾天舉行？", Date, "哪几天", "", "天"},
		{"美方同意暂停实施50%穿透性规则多长时间？", Number, "多长时间", "", ""},
		{"誰被後人尊稱為電學之父?", Person, "谁", "", ""},
		{"研發類似法學和馬基維利的論點的人是誰?", Person, "是谁", "", ""},
		{"郭鶴年的祖籍位於何處?", Place, "何处", "", ""},
		{"哪一所大学最早招收女生？", Organization, "哪一所大学", "大学", ""},
		{"希臘作家普魯塔克以哪一本書留名後世?", Title, "哪一本书", "书", ""},
		{"民主黨失去多數派地位是由於什麼效應的影響?", Entity, "什么效应", "效应", ""},
		{"東港漁民陳必先為什麼會登上綠島?", Reason, "为什么", "", ""},
		{"改良式阿拉伯字母被稱為什麼?", Entity, "什么", "", ""},
		// 却 opens what follows, not a noun: 絲毫未損 is no head.
		{"珍珠港事件其實對戰局影響甚小，僅摧毀美國陳舊的大艦巨砲主義，最重要的什麼卻絲毫未損?", Entity, "什么", "", ""},
		{"岳家軍的大本營定在鄂州的原因和哪一個宰相有關?", Person, "哪一个宰相", "宰相", ""},
		// The head is the noun phrase the lexicon reads, not its first two
		// characters: a compound noun whole, and the known head after a
		// noun, which says what is asked (DRCD questions).
		{"羅馬尼亞武裝部隊空軍所使用的蘇制米格-21戰鬥機將會被哪一種戰鬥機取代?", Entity, "哪一种战斗机", "战斗机", ""},
		{"吸收譜線的變寬會因什麼物理量而造成變化？", Entity, "什么物理量", "物理量", ""},
		{"哪一種政治人物更著重在個人利益？", Person, "哪一种政治人物", "政治人物", ""},
		{"長期遠赴南美洲義診的是哪一個慈善團體?", Organization, "哪一个慈善团体", "慈善团体", ""},
		{"哪一個英格蘭國王曾經要求兼領法國王位?", Person, "哪一个英格兰国王", "英格兰国王", ""},
		// A name alone is no head: what is asked belongs to it.
		{"哪一個中國上海市的市轄區位於上海中心城區的東北部?", Entity, "哪一个", "", ""},
		// One character the lexicon holds as a noun is the head only
		// when the word ends there: 功 of 功能 is not, 族 of 族群 (which
		// the lexicon lacks) is not either, and the first two are read.
		{"乌石渔港有什么功能？", Entity, "什么功能", "功能", ""},
		{"哪一個族群在盧安達為邊緣化群體?", Entity, "哪一个族群", "族群", ""},
		// The noun after the first is taken only when it is a known head:
		// 产生 follows 方式 as the question's verb.
		{"在韓國國會透過什麼方式產生的議員至少占有二十分之一的席位？", Entity, "什么方式", "方式", ""},
		// After 在哪 and 去哪 a measure word or 些 and a noun say what
		// is asked, as after 哪个; without them the question asks where,
		// and 哪里 is the interrogative whole (DRCD, CMRC and the
		// shipped questions).
		{"特朗普明年4月访华的行程会去哪些城市？", Place, "去哪些城市", "城市", ""},
		{"2004年的奧運會是在哪一個城市舉行的?", Place, "在哪一个城市", "城市", ""},
		{"杨朝祥是在哪所大学取得博士学位的？", Organization, "在哪所大学", "大学", ""},
		{"臺灣在哪一場戰爭後被割讓給日本?", Entity, "哪一场战争", "战争", ""},
		{"其地理位置的重要性体现在哪些方面？", List, "哪些", "", ""},
		{"阪神大地震在哪一發生?", Place, "在哪", "", ""},
		{"荷蘭人於1648年時在哪裡建立了永久聚落?", Place, "在哪里", "", ""},
		{"印度現在的蒸汽機車通常在哪裡使用?", Place, "在哪里", "", ""},
		{"马德里会谈讨论了哪些议题？", List, "哪些", "", ""},
		{"中美打交道有几个要素是必不可少的？", List, "几个", "", ""},
		// 哪几 asks which ones, not how many; 几家 still counts.
		{"夏尔精通哪几门语言？", List, "哪几门", "", ""},
		{"中方10月9日公布的出口管制措施具体涵盖哪几种稀土元素？", List, "哪几种", "", ""},
		{"卡洛身兼几家骑士团的大团长职位？", Number, "几家", "", "家"},
		{"如何擺脫輪迴?", Manner, "如何", "", ""},
		{"丙烯颜料有毒吗？", YesNo, "", "", ""},
		{"蓋亞假說指的是什麼?", Definition, "指的是什么", "", ""},
		{"構成宇宙的基本單位是什麼?", Entity, "是什么", "", ""},
		// X的Y是什么 with a short noun Y asks for the value of an
		// attribute; a meaning noun asks what X means.
		{"牛佬的职业是什么？", Entity, "是什么", "", ""},
		{"魏玩的字是什么？", Entity, "是什么", "", ""},
		{"圣德兰大教堂的建筑风格是什么？", Entity, "是什么", "", ""},
		{"《大公報》這名稱的意思是什麼?", Definition, "意思", "", ""},
		{"牛佬的意思是什么？", Definition, "意思", "", ""},
		{"翼尖小翼是什么？", Definition, "是什么", "", ""},
		{"奧斯卡金像獎是我們熟知的獎項，但其本名是?", Entity, "", "", ""},
		{"多倫多大學的主要校區是哪個校區?", Place, "哪个校区", "校区", ""},
		{"Who founded the forum?", Person, "who", "", ""},
		{"How many people attended?", Number, "how many", "", ""},
	}
	for _, tt := range tests {
		a := Analyze(tt.q)
		wh := string(a.Runes[a.Wh.Start:a.Wh.End])
		if a.Type != tt.typ || wh != tt.wh || a.Head != tt.head || a.Unit != tt.unit {
			t.Errorf("Analyze(%q) = type %q wh %q head %q unit %q, want %q %q %q %q", tt.q, a.Type, wh, a.Head, a.Unit, tt.typ, tt.wh, tt.head, tt.unit)
		}
	}
}

func TestFocusLeavesTheInterrogativeOut(t *testing.T) {
	a := Analyze("首先在夜間戰鬥機上安裝雷達的是哪一個國家?")
	if slices.Contains(a.Focus, "国家") {
		t.Errorf("focus %q holds the head noun of the interrogative phrase", a.Focus)
	}
	for _, want := range []string{"雷达", "战斗"} {
		if !slices.Contains(a.Focus, want) {
			t.Errorf("focus %q lacks %q", a.Focus, want)
		}
	}
}

func TestConstraints(t *testing.T) {
	a := Analyze("41R路公交车在《城市交通》里说的4,000年前是哪一年？")
	got := strings.Join(a.Constraints(), "|")
	if want := "4000年|41r|城市交通"; got != want {
		t.Errorf("constraints = %q, want %q", got, want)
	}
}

// TestKnown: the well-known names a question writes, once each, outside
// its interrogative phrase and its titles (shipped and DRCD questions).
func TestKnown(t *testing.T) {
	tests := []struct {
		q    string
		want []string
	}{
		{"2025年中国对日本的进出口增长了多少？", []string{"中国", "日本"}},
		{"在1272年的時候，在倫敦宣布禁止燃燒海煤的是哪一位君主?", []string{"伦敦"}},
		{"中國黑龍江省最早修築鐵路是由哪國協助修築的?", []string{"中国", "黑龙江省"}},
		{"《未完成的故事》是由誰整理並出版的?", nil},
		{"第21個承認同性婚姻的國家是哪一個國家?", nil},
	}
	for _, tt := range tests {
		if got := Analyze(tt.q).Known; !slices.Equal(got, tt.want) {
			t.Errorf("Analyze(%q).Known = %q, want %q", tt.q, got, tt.want)
		}
	}
}

// Questions of the development sets that ask for the other item of a list.
func TestSibling(t *testing.T) {
	tests := []struct {
		q, want string
	}{
		{"卡特任期之內調解的條約包括巴拿馬運河條約以及哪一個?", "条约"},
		{"本屆歐洲國家盃的主辦國是奧地利和哪一個國家?", "奥地利"},
		// A name the lexicon does not hold: its last two characters.
		{"《我期待》是张雨生和谁的对唱？", "雨生"},
		{"一般最常見的霰彈槍有四種用途，除了維持治安、競技、狩獵，還有哪一種功能?", "狩猎"},
		{"中國地理上的南北分界線同時也是兩個流域的分水嶺，一個是黃河流域，另一個是?", "黄河流域"},
		{"輪迴包攝三道，此處的三道指的是祖道、獸道，還有哪一道?", "兽道"},
		// No conjunction leads into the interrogative.
		{"誰擔任《風雲人物》的女主角?", ""},
		{"香港的客家人通常來自哪一個地區?", ""},
		// Too little before it to name an item.
		{"和谁？", ""},
	}
	for _, tt := range tests {
		if got := Analyze(tt.q).Sibling; got != tt.want {
			t.Errorf("Analyze(%q).Sibling = %q, want %q", tt.q, got, tt.want)
		}
	}
}

func TestRunesAlignWithText(t *testing.T) {
	a := Analyze("  他說……“好”嗎？ ")
	if len(a.Runes) != len([]rune(a.Text)) {
		t.Fatalf("%d folded runes for %d runes of text", len(a.Runes), len([]rune(a.Text)))
	}
	if a.Text != "他說……“好”嗎？" || string(a.Runes) != "他说……“好”吗?" {
		t.Errorf("text %q folded %q", a.Text, string(a.Runes))
	}
}

func TestFactoid(t *testing.T) {
	for _, ty := range []Type{Number, Date, Person, Place, Organization, Title, Entity} {
		if !ty.Factoid() {
			t.Errorf("%s is not factoid", ty)
		}
	}
	for _, ty := range []Type{Definition, List, Reason, Manner, YesNo, Unknown} {
		if ty.Factoid() {
			t.Errorf("%s is factoid", ty)
		}
	}
}

func TestCompound(t *testing.T) {
	tests := map[string]bool{
		"2021年美国从中国的进口额是多少？2017年又是多少？":  true,
		"中美经贸谈判进行了几轮？吴心伯说一共谈了几轮？":       true,
		"美方同意暂停实施50%穿透性规则多长时间？":         false,
		"在1272年的時候，在倫敦宣布禁止燃燒海煤的是哪一位君主?": false,
	}
	for q, want := range tests {
		if got := Analyze(q).Compound(); got != want {
			t.Errorf("Analyze(%q).Compound() = %v, want %v", q, got, want)
		}
	}
}

// TestParts cuts compound questions of the shipped question set into the
// things they ask.
func TestParts(t *testing.T) {
	tests := []struct {
		q    string
		want []string
	}{
		{"2021年美国从中国的进口额是多少？2017年又是多少？", []string{"2021年美国从中国的进口额是多少？", "2017年又是多少？"}},
		// A clause that asks nothing joins the part it leads into.
		{"截至马德里会谈，中美经贸谈判进行了几轮？吴心伯的论文说2025年5月至10月中美一共谈了几轮？",
			[]string{"截至马德里会谈，中美经贸谈判进行了几轮？", "吴心伯的论文说2025年5月至10月中美一共谈了几轮？"}},
		// Traditional script, and two parts in one sentence.
		{"中美馬德里經貿會談在哪幾天舉行？美方由誰牽頭？", []string{"中美馬德里經貿會談在哪幾天舉行？", "美方由誰牽頭？"}},
		{"发布这份报告的APLN全称是什么，总部在哪座城市", []string{"发布这份报告的APLN全称是什么，", "总部在哪座城市"}},
		// One thing asked: no parts.
		{"美方同意暂停实施50%穿透性规则多长时间？", nil},
		{"在1272年的時候，在倫敦宣布禁止燃燒海煤的是哪一位君主?", nil},
		// 几何 (geometry) asks nothing: the clause before the question
		// is no part of its own.
		{"幾何光學，又稱為什麼?", nil},
		// Nor does 任何 (any), and what a question quotes is words it asks
		// about, not clauses (DRCD).
		{"資訊指任何會影響系統的熱力學狀態事件，是在哪個學論之中?", nil},
		{"誰認為「基於目前的地權制度，我們無法『買斷』任何一間房屋。」?", nil},
		{"「殿下先謁陵乎？先即位乎？」這句話是誰說的?", nil},
		// A quotation closed, the clauses after it are cut as before.
		{"「G2」這個說法是誰提出的？哪一年提出的？", []string{"「G2」這個說法是誰提出的？", "哪一年提出的？"}},
		// Nor does the noun 原因 when no interrogative asks it (DRCD).
		{"黑龍江的汛期多集中於春、夏兩季的原因有二，除了河岸解凍之外，還有哪一原因?", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, p := range Analyze(tt.q).Parts {
			got = append(got, p.Text)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Analyze(%q).Parts = %q, want %q", tt.q, got, tt.want)
		}
	}
}

// TestBorrowed: a part with few words of its own searches and is read
// with the words of the parts before it, but not their numbers.
func TestBorrowed(t *testing.T) {
	a := Analyze("2021年美国从中国的进口额是多少？2017年又是多少？")
	if len(a.Parts) != 2 {
		t.Fatalf("%d parts", len(a.Parts))
	}
	if b := a.Parts[0].Borrowed; b != nil {
		t.Errorf("the first part borrows %q", b)
	}
	second := a.Parts[1]
	if !slices.Contains(second.Borrowed, "进口") || slices.Contains(second.Borrowed, "2021") {
		t.Errorf("the second part borrows %q", second.Borrowed)
	}
	if q := second.SearchText(); !strings.HasPrefix(q, "2017年又是多少？ ") || !strings.Contains(q, "进口") {
		t.Errorf("the second part searches with %q", q)
	}
	// A part with words enough of its own borrows none.
	if b := Analyze("截至马德里会谈，中美经贸谈判进行了几轮？吴心伯的论文说2025年5月至10月中美一共谈了几轮？").Parts[1].Borrowed; b != nil {
		t.Errorf("borrows %q", b)
	}
}

// TestSubject finds what definition questions of the development sets
// ask about.
func TestSubject(t *testing.T) {
	tests := map[string]string{
		"翼尖小翼是什么？":     "翼尖小翼",
		"專屬經濟區指的是什麼?":  "专属经济区",
		"什么是牛车水？":      "牛车水",
		"《宇宙奇兵》是什么？":   "《宇宙奇兵》",
		"牛车水在哪里？":      "", // not a definition question
		"什么是G2？谁最先提出？": "", // a compound question: its parts have theirs
		// English: what a term is or means, not what stands in a
		// relation to another thing.
		"What is a data race?":           "data race",
		"What are goroutines?":           "goroutines",
		"What does happens-before mean?": "happens-before",
		// A term is what is asked whatever words it is made of.
		"What does happens before mean?": "happens before",
		"What is the capital of France?": "",
		"What is Bessent's position?":    "",
		"What did Bessent say?":          "",
	}
	for q, want := range tests {
		a := Analyze(q)
		if a.Subject != want {
			t.Errorf("Analyze(%q).Subject = %q, want %q", q, a.Subject, want)
		}
		if want != "" && a.Type != Definition {
			t.Errorf("Analyze(%q).Type = %s, want %s", q, a.Type, Definition)
		}
	}
}

// TestAlias finds what alias questions of the CMRC 2018 trial and DRCD dev
// sets ask, and about what.
func TestAlias(t *testing.T) {
	tests := []struct {
		q       string
		kind    AliasKind
		subject string
	}{
		{"凉茶舖又叫什么？", AliasOther, "凉茶舖"},
		{"软枝黄蝉的别名是什么？", AliasOther, "软枝黄蝉"},
		{"史稱二宮之爭的戰爭又別稱什麼?", AliasOther, "史称二宫之争的战争"},
		{"锦地罗又被称之为什么？", AliasOther, "锦地罗"},
		{"桃园市立大溪高级中学的简称是什么？", AliasShort, "桃园市立大溪高级中学"},
		{"那须盐原车站的原名是什么？", AliasFormer, "那须盐原车站"},
		{"西贡商业信用银行的英文名是什么？", AliasEnglish, "西贡商业信用银行"},
		{"凉茶舖以什么而闻名？", "", ""},
	}
	for _, tt := range tests {
		a := Analyze(tt.q)
		if a.Alias != tt.kind || a.Subject != tt.subject {
			t.Errorf("Analyze(%q): alias %q of %q, want %q of %q", tt.q, a.Alias, a.Subject, tt.kind, tt.subject)
		}
	}
}

// TestIdentity: an identity question names a person and asks who it is;
// one that names a role (the DRCD and CMRC questions below) asks for a
// name. Its type stays person: the passages decide whether a description
// answers it.
func TestIdentity(t *testing.T) {
	tests := map[string]string{
		"宋伟是谁？":            "宋伟",
		"宋偉是誰？":            "宋伟",
		"谁是赵明昊？":           "赵明昊",
		"特朗普是什么人？":         "特朗普",
		"塞內卡是誰?":           "塞内卡",
		"皮埃尔·特鲁多是谁？":       "皮埃尔·特鲁多",
		"美国总统是谁？":          "",
		"中方牵头人是谁？":         "",
		"美方负责人是谁？":         "",
		"台灣首任巡撫是誰?":        "",
		"成吉思汗的長子是誰?":       "",
		"現代物理學之父是誰?":       "",
		"金帐汗国的建立者是谁？":      "",
		"《大公報》創辦人是誰?":      "",
		"誰是德國「包浩斯學院」的創辦人?": "",
		"宋伟是谁提名的？":         "",
		"高英是哪位皇帝的皇后？":      "",
	}
	for q, want := range tests {
		a := Analyze(q)
		if a.Identity != want {
			t.Errorf("Analyze(%q).Identity = %q, want %q", q, a.Identity, want)
		}
		// However it asks who, an identity question searches the same
		// way.
		if want != "" && a.SearchText() != want+"是谁" {
			t.Errorf("Analyze(%q).SearchText() = %q, want %q", q, a.SearchText(), want+"是谁")
		}
		if want != "" && a.Type != Person {
			t.Errorf("Analyze(%q).Type = %s, want person", q, a.Type)
		}
	}
}

// TestAuthor: a question that asks who wrote a document (the first two
// are shipped dev questions) and some that do not: what an author thinks,
// who a person is, who founded something.
func TestAuthor(t *testing.T) {
	tests := map[string]bool{
		"《长久以来的错误认知：对中美“脱钩”的批判性观点》这份报告的作者是谁？": true,
		"這篇談釜山會晤與G2的評論文章作者是誰？":                true,
		"这篇文章是谁写的？":             true,
		"《特朗普归来与中美博弈的新阶段》由谁撰写？": true,
		"作者认为中美关系会怎样发展？":        false,
		"宋伟是谁？":       false,
		"《大公報》創辦人是誰?": false,
		"谁写信给特朗普？":    false,
	}
	for q, want := range tests {
		if got := Analyze(q).Author; got != want {
			t.Errorf("Analyze(%q).Author = %v, want %v", q, got, want)
		}
	}
}

// TestItem reads the ordinal by which a question may name an item of a
// list; 第一位 and 第一次 count people and times, not items.
func TestItem(t *testing.T) {
	tests := map[string]int{
		"吳心伯認為特朗普政府拿不出清晰亞太戰略，首先是因為注意力放在哪裡？": 1,
		"吴心伯认为中美打交道取得成果的第三个要素是什么？":          3,
		"其次是哪个方面的原因？":                       2,
		"首先在夜間戰鬥機上安裝雷達的是哪一個國家?":             1, // first in time: the passages decide
		"第一位踏上日本國土的天主教傳教士是誰?":               0,
		"第一次世界大战是哪一年爆发的？":                   0,
		"2006年的時候，當時電盈的第二大股東是哪一集團?":         0,
		"吳心伯認為中美經貿談判一直在第三方國家舉行的主要原因是什麼？":    0,
	}
	for q, want := range tests {
		if got := Analyze(q).Item; got != want {
			t.Errorf("Analyze(%q).Item = %d, want %d", q, got, want)
		}
	}
}

// TestEnglishDefinitionTerms: an English question that asks what a term
// is or means is about the term; "mean" and the words around the term
// belong to the question. Asked what a term means, it is searched for by
// the term alone, since "mean" finds the passages that say "means".
func TestEnglishDefinitionTerms(t *testing.T) {
	tests := []struct {
		question, search string
		focus            []string
	}{
		{"What does happens-before mean?", "happens-before", []string{"happens", "before"}},
		{"What does happens before mean?", "happens before", []string{"happens", "before"}},
		{"What is a data race?", "What is a data race?", []string{"data", "race"}},
		{"What is the capital of France?", "What is the capital of France?", []string{"capital", "france"}},
	}
	for _, tt := range tests {
		a := Analyze(tt.question)
		if got := a.SearchText(); got != tt.search {
			t.Errorf("Analyze(%q).SearchText() = %q, want %q", tt.question, got, tt.search)
		}
		if !slices.Equal(a.FocusOrTerms(), tt.focus) {
			t.Errorf("Analyze(%q) focus %q, want %q", tt.question, a.FocusOrTerms(), tt.focus)
		}
	}
}

// TestPremise: a why-question takes as given what it asks the reason of,
// folded; other questions, and compound ones, take nothing.
func TestPremise(t *testing.T) {
	tests := map[string]string{
		"特朗普政府为什么批准了那项价值4亿美元的对台军售案？": "特朗普政府批准了那项价值4亿美元的对台军售案",
		"美國貿易代表辦公室為什麼決定加徵高額關稅?":      "美国贸易代表办公室决定加征高额关税",
		"辛企宗為何被削職": "辛企宗被削职",
		"特朗普政府拒绝批准的那项对台军售案价值多少？": "",
		"为什么G2的说法没人再提了？谁最先提出？":   "",
	}
	for q, want := range tests {
		if got := Analyze(q).Premise(); got != want {
			t.Errorf("Analyze(%q).Premise() = %q, want %q", q, got, want)
		}
	}
}
