package answer

import (
	"cmp"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"wenda/analysis"
	"wenda/corpus"
	"wenda/hanzi"
	"wenda/internal/testindex"
	"wenda/prompts"
	"wenda/question"
)

// TestExtractiveRealQuestions asks real questions about the real articles
// offline and checks what a reader would: markers that point at citations,
// every sentence found in the passage it cites, the answer in the
// question's script while the quotes keep the article's, and refusals in
// the question's language.
func TestExtractiveRealQuestions(t *testing.T) {
	ix := realIndex(t)
	svc := NewService(ix, Options{})
	tests := []struct {
		question   string
		answerable bool
		lang       prompts.Language
		mentions   []string // in the answer, in the answer's script
	}{
		{"马德里会谈讨论了哪些议题", true, prompts.Simplified, []string{"马德里"}},
		{"馬德里會談討論了哪些議題？", true, prompts.Traditional, []string{"馬德里"}},
		// A Simplified question about a Traditional article.
		{"习近平和特朗普在釜山会晤持续了多长时间？", true, prompts.Simplified, []string{"1小时40分钟"}},
		// A Traditional question about a Simplified article.
		{"吳心伯把今年的中美關係分成了哪三個階段？", true, prompts.Traditional, []string{"打打談談"}},
		{"特朗普以芬太尼问题为由对华加征了多少关税？", true, prompts.Simplified, []string{"20%"}},
		{"欧盟对中国电动汽车加征了多少关税？", false, prompts.Simplified, nil},
		{"中美在北極航道開發上達成了什麼合作計劃？", false, prompts.Traditional, nil},
		// Offline, English words cannot be matched against Chinese
		// articles; the refusal says so in English.
		{"What did Bessent say about TikTok at the Madrid talks?", false, prompts.English, nil},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			a, err := svc.Ask(context.Background(), Request{Question: tt.question})
			if err != nil {
				t.Fatal(err)
			}
			if a.Answerable != tt.answerable {
				t.Fatalf("answerable = %v (relevance %.3f), want %v: %s", a.Answerable, a.Relevance.Score, tt.answerable, a.Text)
			}
			if a.Language != string(tt.lang) || a.Answerer != AnswererExtractive || a.Model != "" {
				t.Errorf("language %s answerer %s model %q", a.Language, a.Answerer, a.Model)
			}
			if !a.Answerable {
				if a.Text != prompts.Refusal(tt.lang) || a.Reason == "" || len(a.Citations) != 0 {
					t.Errorf("refusal %q reason %q citations %d", a.Text, a.Reason, len(a.Citations))
				}
				if tt.lang != prompts.English && hanzi.Detect(a.Reason) != tt.lang.Script() {
					t.Errorf("reason %q is not in %s", a.Reason, tt.lang)
				}
				// A reason that quotes the probability against the
				// threshold is only given when it is below it.
				if p := a.Answerability; a.ReasonCode == RefusalLowRelevance && (p == nil || p.Probability >= p.Threshold) {
					t.Errorf("refused as %s with answerability %+v: %s", a.ReasonCode, p, a.Reason)
				}
				return
			}
			checkCited(t, ix, a)
			if tt.lang != prompts.English {
				if got := hanzi.Detect(stripMarkers(a.Text)); got != tt.lang.Script() && got != hanzi.Unknown {
					t.Errorf("answer is in %s, want %s: %s", got, tt.lang.Script(), a.Text)
				}
			}
			for _, m := range tt.mentions {
				if !strings.Contains(a.Text, m) {
					t.Errorf("answer does not mention %q: %s", m, a.Text)
				}
			}
			if a.Timings.RetrievalMS <= 0 || a.Timings.TotalMS < a.Timings.RetrievalMS {
				t.Errorf("timings %+v", a.Timings)
			}
		})
	}
}

// checkCited checks that markers and citations agree, that each citation
// quotes its chunk in the article's own script, and that every sentence is
// found, folded, in the passage it cites.
func checkCited(t *testing.T, ix *testindex.Index, a Answer) {
	t.Helper()
	if len(a.Citations) == 0 || a.Verification.Supported == 0 {
		t.Fatalf("no citations: %+v", a)
	}
	used := markersIn(a.Text)
	if len(used) != len(a.Citations) {
		t.Errorf("markers %v, %d citations", used, len(a.Citations))
	}
	for i, n := range used {
		if n != i+1 {
			t.Errorf("markers %v are not numbered in order of first use", used)
		}
	}
	for _, c := range a.Citations {
		doc, ok := ix.Doc(c.DocID)
		if !ok {
			t.Fatalf("citation %d names unknown document %s", c.N, c.DocID)
		}
		if got := string([]rune(doc.Text)[c.Start:c.End]); got != c.Quote {
			t.Errorf("citation %d quote is not the article text at %d..%d", c.N, c.Start, c.End)
		}
		if !c.Supported || c.Title == "" {
			t.Errorf("citation %d: supported %v title %q", c.N, c.Supported, c.Title)
		}
	}
	var sp splitter
	for _, s := range append(sp.feed(a.Text), sp.flush()...) {
		ns := markersIn(s)
		if len(ns) == 0 {
			t.Errorf("sentence without a marker: %q", s)
			continue
		}
		body := hanzi.Fold(strings.TrimRight(strings.TrimSpace(stripMarkers(s)), "。；！？"))
		for _, n := range ns {
			if !strings.Contains(hanzi.Fold(a.Citations[n-1].Quote), body) {
				t.Errorf("sentence %q is not in the passage of citation %d", s, n)
			}
		}
	}
}

// TestEnglishOfflineRefusal: offline, an English question over the
// Chinese articles is refused with the reason that holds: English
// questions are not translated without a model. Not a probability "below
// the threshold" (the answerability model may score these passages above
// it), and not that the articles do not discuss a name the passages found
// lack: the articles speak of TikTok and the G2 (TikTok相关问题, G2即將
// 召開), in passages the English words did not find.
func TestEnglishOfflineRefusal(t *testing.T) {
	svc := NewService(realIndex(t), Options{})
	tests := []struct {
		question, code string
	}{
		{"What did Bessent say about TikTok at the Madrid talks?", RefusalUntranslated},
		{"In Zhao Minghao's Busan article, which American strategist is quoted on the G2?", RefusalUntranslated},
		{"How long did the US agree to suspend the 50% affiliates rule?", RefusalUntranslated},
		{"how long did the two leaders talk in the end?", RefusalUntranslated},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			a, err := svc.Ask(context.Background(), Request{Question: tt.question})
			if err != nil {
				t.Fatal(err)
			}
			if a.Answerable || a.ReasonCode != tt.code || a.Language != string(prompts.English) {
				t.Fatalf("answerable %v, %s reason %q (%s), want refused as %s", a.Answerable, a.Language, a.Reason, a.ReasonCode, tt.code)
			}
			if tt.code == RefusalUntranslated && !strings.Contains(a.Reason, "not translated") {
				t.Errorf("reason %q", a.Reason)
			}
		})
	}
}

func TestExtractiveStream(t *testing.T) {
	svc := NewService(realIndex(t), Options{})
	var events []Event
	a, err := svc.AskStream(context.Background(), Request{Question: "吴心伯把今年的中美关系分成了哪三个阶段？"}, func(e Event) error {
		events = append(events, e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checkStream(t, events, a)
	if len(events[0].Passages) == 0 {
		t.Errorf("retrieval event without passages")
	}
}

func TestExtractiveSkipsInjection(t *testing.T) {
	// The injected passage ranks first and shares the question's words.
	s := &stubSearcher{ps: passages(injectionPassage+"中美自由贸易协定已经签署。", fentanylPassage), relevance: 0.9}
	svc := NewService(s, Options{})
	a, err := svc.Ask(context.Background(), Request{Question: "中美签署自由贸易协定了吗？关税取消了吗？"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(a.Text, "自由贸易协定") {
		t.Errorf("quoted the injected passage: %s", a.Text)
	}
	for _, c := range a.Citations {
		if c.ChunkID == "p1" {
			t.Errorf("cited the injected passage")
		}
	}
}

func TestExtractiveArticleNoteMarkers(t *testing.T) {
	// An article's own note marker must not turn into a citation.
	s := &stubSearcher{ps: passages("特朗普以芬太尼问题为由两次对华加征共计20%的关税[3]。"), relevance: 0.9}
	a, err := NewService(s, Options{}).Ask(context.Background(), Request{Question: "特朗普以芬太尼为由加征了多少关税？"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Text != "特朗普以芬太尼问题为由两次对华加征共计20%的关税[1]。" {
		t.Errorf("text %q", a.Text)
	}
}

// TestCauseIn checks the reason a why-question gets as its short answer,
// on sentences of the DRCD dev set (Traditional Chinese Wikipedia, CC BY-SA
// 3.0) as its articles write them, each with the reason its question's
// gold answer gives where the set has one.
func TestCauseIn(t *testing.T) {
	tests := []struct {
		name, text, want string
		question         string // 為什麼？ when empty
	}{
		{"由於 introduces it", "由於滿洲是清朝的發祥地，因此清兵入關之後對這一地區採取了封禁措施，修建了柳條邊，禁止漢族移民進入其腹地。", "滿洲是清朝的發祥地", ""},
		{"鑑於 introduces it", "鑑於新教徒對聖經正典的質疑，天特會議重申了傳統的西方正典，成為天主教教會中的天特正典和武加大聖經教義。", "新教徒對聖經正典的質疑", ""},
		{"因為X而Y keeps X", "相對來說，紅巨星的表面只有3,600克耳文的低溫，但是因為巨大的表面積而有高亮度。", "巨大的表面積", ""},
		{"因此 follows it", "萊昂王國與卡斯蒂利亞王國聯盟之後，卡斯蒂利亞語慢慢取代了拉丁語作為西班牙官方語言，因此「古萊昂語」漸漸被藐視。", "卡斯蒂利亞語慢慢取代了拉丁語作為西班牙官方語言", ""},
		{"因X而Y", "十二月，神武副軍都統制辛企宗因鎮壓福建范汝為之亂不力而被削職，岳飛的「神武右副軍」改名為「神武副軍」，並升遷為都統制。", "鎮壓福建范汝為之亂不力", ""},
		{"因 opens a clause", "1923年冬，因廈門大學教師教學質量不好，學生要求教學改革，學校當局處理不當，毆打侮辱學生，又庇護毆傷學生的肇事者，並無故開除多位學生及教授。", "廈門大學教師教學質量不好", ""},
		{"以X為由", "劉毅自以能力不亞於劉裕，甚不服在劉裕以下，他亦得朝中有名望人士歸心交結，故此遷鎮荊州時就將大部分豫州府屬及江州萬多人的軍隊都帶去荊州，到任後又重新調度荊州郡縣首長，更以患病為由請堂弟劉藩去做他副手。", "患病", ""},
		{"為了 says the purpose", "為了更有效率地處理國務，洪武三十五年八月初一，朱棣令解縉、黃淮入直文淵閣，預機務。", "更有效率地處理國務", ""},
		{"由X引起", "繼發性高血壓多見於青春期前的兒童，而大多數病例是由腎病引起的。", "腎病", ""},
		{"受X的影響", "受河岸解凍及雨季降水的影響，汛期多集中於春、夏兩季。", "河岸解凍及雨季降水", ""},
		{"為了 after the clause's first words", "此後為了平息遊行，德國統一社會黨罷免了昂內克的黨總書記職務。", "平息遊行", ""},
		{"以免 says what is avoided", "諷刺的是，香港政府在二三十年代時並不鼓勵市民在惡劣天氣的情況下打電話給天文台詢問天氣，以免令天文台電話線路繁忙，更至少三次刊憲呼籲市民切勿在打風時打電話給天文台。", "天文台電話線路繁忙", ""},
		{"隨住 says what it comes with", "但隨住灣仔發展商業區，駱克道一帶色情行業已經很式微，港島小上海最初為北角，後來則為灣仔，2000年開始，灣仔發展商業區，色情行業式微，最後一個港島小上海亦沒有了，現在的上海街一帶仍有不少上海人，是香港最多上海人的地方，但因人數有限，難像閩人和客家人有自己的圈子。", "灣仔發展商業區", ""},
		{"X造就了 brings it about", "但是戶籍制度造就了城鄉之間的隔閡與地區之間的封閉，對許多流動人員的工作、居住設置了障礙。", "戶籍制度", ""},
		{"原因之一是 names it", "20世紀60年代後，虐待等酷刑漸漸變得少見，而更多使用心理折磨來拖垮政治犯的意志，這種轉變的原因之一是施加心理折磨很難取證。", "施加心理折磨很難取證", ""},
		{"其原因最大的是 names it", "畜牧業發展趨勢不穩定，由元世祖時的盛況漸漸趨向衰退，到了元惠宗時，畜牧業的衰敗更為嚴重，其原因最大的是自然災害。", "自然災害", ""},
		{"因 after the clause's subject", "他和克萊蒙梭因英法兩國都擁有龐大的海外殖民地，都不贊同民族自決政策。", "英法兩國都擁有龐大的海外殖民地", ""},
		{"為 before a verb of purpose", "到了蔣經國時代，為擺脫石油危機，政府致力推動十大建設，為臺灣石化業與重工業打下良好的基礎，此時恰逢越戰，美國向臺灣訂購大量物資，這些因素都促使臺灣經濟快速起飛。", "擺脫石油危機", ""},
		{"為避免 opens a clause", "另外，為避免購票人群與進出站人群的對沖，上海站在主站廳外東南側，即秣陵路梅園路路口處興建了聯合售票大廳，整座大廳共設有40餘個窗口。", "避免購票人群與進出站人群的對沖", ""},
		{"X而 what the question asks", "然而脫脫在1354年南攻高郵張士誠軍之際，脫脫被元廷大臣彈劾而功虧一簣。", "脫脫被元廷大臣彈劾", "脫脫曾一度壓制民變軍，但到了最後為什麼功虧一簣?"},
		{"X後 what the question asks", "1945年日本無條件投降後，韓國本國文學重新得到恢復。", "1945年日本無條件投降", "韓國本國文學因為什麼事情而得到恢復？"},
		// Written for the test, not taken from the set: 原因 names a
		// reason and states none.
		{"原因 is no 因", "這種病的原因不明而難以治療。", "", ""},
		// Written for the test too: the 以 of 所以 opens no ground.
		{"以X為由 after 所以", "所以他以患病為由辭去職務。", "患病", ""},
		{"no causal word", "冬季戰爭是一場發生在蘇聯和芬蘭之間的戰爭。", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := passages(tt.text)
			ref := causeIn(question.Analyze(cmp.Or(tt.question, "為什麼？")), extractive{}.sentences(ps))
			got := ""
			if ref != nil {
				got = string([]rune(ps[ref.passage].Text)[ref.span.Start:ref.span.End])
			}
			if got != tt.want {
				t.Errorf("cause = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSurnamed: a span that opens with a common surname reads as a
// person's name unless it is a common word (解决 opens with 解, 管辖 with
// 管, 黄金 with 黄) or opens with one that is no noun (解决了); a name the
// lexicon knows (毛泽东) and one it does not (李在明) read as names, a span
// with no surname first (君士坦丁) or of one or five characters does not,
// nor one that holds a digit (于20 of 已于2006年, a CMRC trial sentence).
func TestSurnamed(t *testing.T) {
	for _, tt := range []struct {
		w    string
		want bool
	}{
		{"王毅", true}, {"毛泽东", true}, {"李在明", true},
		{"解决", false}, {"管辖", false}, {"黄金", false}, {"解决了", false},
		{"王", false}, {"君士坦丁", false}, {"王某某某某", false}, {"于20", false}, {"于2", false},
	} {
		if got := surnamed([]rune(tt.w)); got != tt.want {
			t.Errorf("surnamed(%q) = %v, want %v", tt.w, got, tt.want)
		}
	}
}

// TestSurnameSpansHoldNoDigits: the spans read as names after a surname
// stop before a digit (于2006年 of a CMRC trial sentence gave 于20 and 于2,
// first for 香港的播映权被谁买下？).
func TestSurnameSpansHoldNoDigits(t *testing.T) {
	text := []rune("香港无线电视已于2006年买下在香港的播映权")
	var got []string
	for _, sp := range surnameSpans(text, 0, len(text)) {
		got = append(got, string(text[sp.Start:sp.End]))
	}
	for _, w := range got {
		if strings.ContainsFunc(w, unicode.IsDigit) {
			t.Errorf("surnameSpans gave %q (all: %q)", w, got)
		}
	}
}

// TestRefine checks how the chosen short answer is trimmed, on questions
// of the DRCD and CMRC development sets (CC BY-SA) with the spans the span
// model chose for them and their gold answers; the sentences are written
// around the span, shorter than the articles'.
func TestRefine(t *testing.T) {
	tests := []struct {
		question, sentence, chosen, want string
	}{
		{"反洛可可風格的運動是何人發起的?", "當時由約翰·約阿希姆·溫克爾曼發起了反洛可可風格的運動。", "當時由約翰·約阿希姆·溫克爾曼", "約翰·約阿希姆·溫克爾曼"},
		{"瑞士近衛隊近現代的制服是由誰設計的?", "瑞士近衛隊近現代的制服由朱爾·雷邦德於1914年設計。", "朱爾·雷邦德於", "朱爾·雷邦德"},
		{"模式种是由谁命名的？", "由Alexander Averianov与汉斯·戴尔特·苏伊士在2007年命名。", "与汉斯·戴尔特·苏伊士", "汉斯·戴尔特·苏伊士"},
		{"香港在DVD分区属于第几区？", "香港在DVD分区属第三区（中国大陆属第六区）。", "第三", "第三区"},
		{"平壤的幾所小學自哪一年起開始停止正常授課?", "自2009年5月起，平壤的幾所小學停止正常授課。", "2009年5月", "2009年"},
		{"第四区受到同性恋文化的影响是从哪一年开始的？", "1990年代开始，第四区受到同性恋文化的影响。", "1990年代", "1990年代"},
		// When, asked with no unit, is answered with the whole date
		// (DRCD dev, CMRC 2018 trial); 哪一年 still by the year alone.
		{"中國大陸製造的第一批機車，是在何時生產出來的?", "1951年7月8日，第一批國產機車在四方機車車輛廠生產出來。", "1951年", "1951年7月8日"},
		{"珍珠港事件發生於何時?", "日本於12月7日偷襲珍珠港。", "12月", "12月7日"},
		{"什么时候双方代表互换批准书？", "一九六一年九月十日，双方代表互换批准书。", "一九六一年", "一九六一年九月十日"},
		{"平壤的幾所小學何時開始停止正常授課?", "自2009年5月起，平壤的幾所小學停止正常授課。", "2009年", "2009年5月"},
		{"平壤的幾所小學自哪一年起開始停止正常授課?", "2009年5月6日起，平壤的幾所小學停止正常授課。", "2009年", "2009年"},
		{"邊防派出所是哪一個部隊設置的單位?", "邊防派出所是公安邊防部隊設置的基層單位。", "部隊", "公安邊防部隊"},
		// Words before it that run longer than a modifier are a clause.
		{"日本皇室長期信奉什麼思想?", "日本皇室長期信奉儒家思想。", "思想", "思想"},
		{"誰設計威廉·H·蓋茨大樓?", "此建築物由法蘭克·蓋瑞設計。", "此建築物由法蘭克·蓋瑞", "法蘭克·蓋瑞"},
		// A name whose first characters transliterate nothing the run
		// knows keeps them (DRCD dev); a title before the name goes.
		{"自由印度臨時政府是何人建立的?", "獨立運動領導人錢德拉·鮑斯在加爾各答擺脫了對他的搜捕。", "錢德拉·鮑斯", "錢德拉·鮑斯"},
		{"西羅馬帝國一般認定的滅亡日期是西羅馬哪位皇帝被罷黜的時候?", "西羅馬帝國一般認定的滅亡日期是476年9月4日，奧多亞塞罷黜羅慕路斯·奧古斯都，然而缺乏具體史料讓細節仍為謎團。", "羅慕路斯·奧古斯都", "羅慕路斯·奧古斯都"},
		{"威廉一世於1862年9月23日正式任命了誰為新的首相?", "他是放棄了，然而他卻說服了議會任命他的法國大使───奧托·馮·俾斯麥為首相。", "───奧托·馮·俾斯麥", "奧托·馮·俾斯麥"},
		{"詹姆斯·史都華在1949年和誰步入禮堂?", "1949年，41歲的詹姆斯·史都華，與31歲、相同宗教背景、受過良好教育的葛蘿莉亞·哈翠克在相識一年後結婚。", "葛蘿莉亞·哈翠克", "葛蘿莉亞·哈翠克"},
		{"於職期間為美國地質調查局局長的人是誰?", "前教授瑪西婭·麥克納特在職期間為美國地質調查局局長，城市研究學教授澤維爾·布里格斯為美國行政管理與預算局副局長，生物學教授埃里克·蘭德為美國總統科技顧問委員會聯合主席。", "生物學教授埃里克·蘭德", "埃里克·蘭德"},
		{"誰在1892年成為了學校的首任校長?", "1892年，格雷戈裡·福斯特成為了學校的首任校長。", "格雷戈裡·福斯特成為了學校", "格雷戈裡·福斯特"},
		// A count opens no name and no thing (DRCD and CMRC sentences).
		{"印象主義運動把摒除傳統看作是最重要的變革之一，但其實就現在來看印象主義也被歸為哪種主義?", "印象主義運動把摒除傳統看作是最重要的變革之一，現在看起來，這其實就是一種現代主義運動。", "一種現代主義", "現代主義"},
		{"喬治亞在傳統上是屬於從事哪一種產業的國家?", "傳統上喬治亞是一個農業國家，種植水果和茶葉。", "一個農業", "農業"},
		{"马库斯·温克霍克是哪个国家的赛车手？", "马库斯·温克霍克(生于1980年6月13日，德国)，是一位德国F1赛车手。", "一位德国", "德国"},
		// Nor a verb of having or naming.
		{"地球表面最外層的固體又被稱為什麼圈?", "地質的表面，或稱岩石圈、地殼，是地球表面最外層的固體。", "稱岩石圈", "岩石圈"},
		{"嘉靖年間在長廊南面的廣場上放置的鎮石被稱為什麼?", "長廊南面的廣場上有七星石，是嘉靖年間放置的鎮石。", "有七星石", "七星石"},
		// A person without the verb after the name, the title after it or
		// the period of a rule.
		{"民主黨達到高潮是由於誰在於1964年正式簽訂民權法案?", "民主黨對於民權議題的支持在林登強森總統於1964年正式簽訂民權法案時達到高潮，他對此發表演講道：我們已經失去南方長達一個世代了。", "林登強森總統", "林登強森"},
		{"总理贾斯汀·特鲁多的父亲是谁？", "最近一次前总理去世是2000年9月28日，现任总理贾斯汀·特鲁多的父亲皮埃尔·特鲁多去世。", "皮埃尔·特鲁多去世", "皮埃尔·特鲁多"},
		// A common word that is no noun, two characters or more past the
		// last dot, ends the name (DRCD dev sentences); one character the
		// lexicon classes does not (佩 of 格罗佩斯).
		{"華氏溫標是哪一人所制定的氣溫表示法則？", "使用當代科學溫度計和溫度標記法進行溫度計量可以追溯到18世紀早期，加布里埃爾·華倫海特使用了奧勒·羅默發明的溫度計和標記方式。", "奧勒·羅默發明的溫度計", "奧勒·羅默"},
		{"第一座具有商業潛力的電報機是由威廉·庫克和誰展出的?", "十九世紀中期，自從威廉·庫克和查爾斯·惠斯通展示出第一座具有商業潛力的電報機，隨著橫貫美國大陸電報系統的建立，以及橫貫大西洋電報系統的建立，從地球的這一端到地球的那一端，使用電報機制，只需要很短幾分鐘時間，人們就可以即時地獲得訊息。", "查爾斯·惠斯通展示出", "查爾斯·惠斯通"},
		// On the left, a common word (a noun or no noun) ending a
		// character or more before the first dot ends what comes before
		// the name; the run of transliterating characters does not reach
		// it (林, 历 are not of the list).
		{"由誰提出的針對動植物的命名法在學術界被接受？", "對動物的系統命名始於瑞典博物學家卡爾·林奈，1758年林奈發表《自然系統》第十版，書中首次提出將作者此前用於植物分類和命名的系統移植到動物界，用拉丁文屬名+種加詞的方式對動物進行系統命名，此後雙名法逐漸被學術界接受，成為對一切生物世界通用的學術命名方式。", "瑞典博物學家卡爾·林奈", "卡爾·林奈"},
		{"巴黎周圍地區地質學專著是由居維葉和哪一個人所合作撰寫的?", "另外，居維葉與巴黎礦業學校的教授亞歷山大·布隆尼亞爾合作多年，撰寫了巴黎周圍地區地質學專著。", "教授亞歷山大·布隆尼亞爾", "亞歷山大·布隆尼亞爾"},
		{"誰是德國「包浩斯學院」的創辦人?", "德國「包浩斯學院」創辦人沃爾特·格羅佩斯，主張以團隊合作方式及客觀方法，積極拯救因機器大量生產所造成家庭的無序，並探討設計品質，使之回歸到符合人本目的、感情及基本需要，避免人類成為機械的奴隸。", "沃爾特·格羅佩斯", "沃爾特·格羅佩斯"},
		{"「我很高興各政黨議員對此取得共識，並決定了推動的方向」這句話是誰說的?", "工黨下議院領袖傑克·斯特勞表示，這是上議院改革歷史性重要的一步。", "傑克·斯特勞表示", "傑克·斯特勞"},
		{"「土庫曼人之王」指的是誰?", "東喀喇汗國的伊不拉音·本·阿赫邁德在位期間，被入侵中亞的耶律大石政權所控制，並廢除其汗號，改封「土庫曼人之王」，成為了西遼的附庸。", "伊不拉音·本·阿赫邁德在位期間", "伊不拉音·本·阿赫邁德"},
		// A name opens with no verb, nor with the adverb before one (DRCD
		// dev, a shipped article); a verb of one character is none, as it
		// may be a surname, and a name the lexicon holds whole is read
		// whole (联合国大会 opens with no 联合).
		{"中國郵政集團公司受到哪一個單位的業務監管?", "中國郵政集團公司接受國家郵政局的業務監管。", "接受國家郵政局", "國家郵政局"},
		{"444年匈人領袖阿提拉和西羅馬同盟，而這同盟主要目的是針對哪個國家?", "444年，匈人領袖阿提拉和西羅馬同盟，準備攻擊西哥德王國。", "準備攻擊西哥德王國", "西哥德王國"},
		{"吳心伯認為哪個地區會成為美方對華打壓的主攻方向？", "這不僅意味著中美激烈較量將貫穿特朗普第二任期，更表明西半球會成為美方對華打壓的主攻方向。", "更表明西半球", "西半球"},
		{"哪一個機構通過了這項決議?", "聯合國大會通過了這項決議。", "聯合國大會", "聯合國大會"},
		{"華為是由誰創立的?", "華為由任正非於1987年創立。", "任正非", "任正非"},
		// A conjunction of one character opens no answer (DRCD dev), but
		// may open a word that does (故宫).
		{"常被特警隊作為治安任務用途的是哪一種槍種?", "特警隊執行治安任務時常使用衝鋒槍，故衝鋒槍常被作為治安任務用途。", "故衝鋒槍", "衝鋒槍"},
		{"古喬治亞文字由於哪一個宗教的傳入而改由希臘文及敘利亞文所混合而成之新文字替代?", "惟基督教傳入後，古喬治亞文字改由希臘文及敘利亞文所混合而成之新文字替代。", "惟基督教", "基督教"},
		{"清朝皇帝的寶物現在收藏在哪一個博物院?", "這些寶物現藏故宮博物院。", "故宮博物院", "故宮博物院"},
		// Nor does a person's or a place's end with one.
		{"公元380年召開的第二次大公會議是在哪裡舉辦的?", "380年，第二次大公會議在康士坦丁堡舉行。", "康士坦丁堡舉行", "康士坦丁堡"},
		{"在哪一個國家的地圖中，南千島群島被劃入日本領土?", "在中國大陸出版的地圖中，南千島群島被劃入日本領土。", "中國大陸出版", "中國大陸"},
		{"城灣盃為國立成功大學以及哪一個大學間的校際競賽?", "城灣盃為國立成功大學與國立中山大學兩校間的校際競賽。", "國立中山大學", "國立中山大學"},
		// Without the 等 of a list or an adverb after it (shipped articles).
		{"报告提到哪位中国官员把局势描述为“美国实际上正在推动经济脱钩”？", "外交部长王毅等中国官员一直将目前的状况描述为“美国实际上正在推动经济脱钩”。", "王毅等", "王毅"},
		{"會晤之前，特朗普在社交媒體上用大寫英文宣稱什麼即將召開？", "值得注意的是，在這場會晤之前，特朗普在社交媒體上用大寫的英文發文「G2即將召開！」。", "G2即", "G2"},
		// A year counted in an era, with the era.
		{"中共工農紅軍第十三軍於民國幾年時在浙南永嘉宣布成立?", "民國19年5月，中共工農紅軍第十三軍在浙南永嘉宣布成立，並在溫州、麗水、金華、台州地區廣泛擴展勢力，持續時間達四五年之久。", "19年", "民國19年"},
		{"田中角榮在哪一年宣布辭職?", "昭和四十九年10月，文藝春秋刊出「田中角榮研究他的金脈及人脈問題」，引來黨內及國會的追究。", "四十九年", "昭和四十九年"},
		// When: the part of the century; which century: the century.
		{"天城文在何時成為梵語的標準書寫系統？", "自19世紀晚期，天城文被定為梵語的標準書寫系統，十分可能的原因是歐洲人有用這種文字印刷梵語文本的習慣。", "19世紀", "19世紀晚期"},
		{"英屬印度在哪一世紀末期時才建立由印度人組成的省議會?", "英屬印度邁出自治的第一步始於19世紀末期，任命由印度人組成的總督顧問和建立由印度人組成的省議會。", "19世紀", "19世紀"},
		// A number with its Latin unit, and the range it opens (CMRC).
		{"巴黎第四区的土地面积是多少？", "该区土地面积1.601 km²，是巴黎市第三小的区。", "1.601", "1.601 km²"},
		{"光电追踪仪的追踪距离有多远？", "追踪距离10km，雷射测距精度±5m，方位与仰俯精度±0.5mil。", "10", "10km"},
		{"狭叶艾纳香所生长的地区海拔约是多少米？", "生长于海拔900米至1,900米的地区，多生长在山谷空旷湿润地，目前尚未由人工引种栽培。", "900米", "900米至1,900米"},
		{"狭叶艾纳香所生长的地区海拔约是多少米？", "生长于海拔900米至1,900米的地区，多生长在山谷空旷湿润地，目前尚未由人工引种栽培。", "1,900米", "900米至1,900米"},
		{"印度野驴最高每小时可跑多少公里？", "牠们是印度跑得最快的动物之一，最高每小时可达70-80公里。", "80公里", "70-80公里"},
		// A range of fractions, a count in two units, a rate and an
		// approximate count (DRCD dev, CC BY-SA 3.0).
		{"黑龍江山地森林茂密，木材蓄積量為全國之首，採伐量曾常年占中國採伐量的多少比例?", "採伐量曾常年占中國的三分之一至二分之一，是中國最重要的林業基地。", "三分", "三分之一至二分之一"},
		{"韓國和日本在建立邦交之前花了多久的時間做談判？", "雙方在經歷了13年零8個月的談判後，才於1965年6月22日建立外交關係。", "13年", "13年零8個月"},
		{"韓國和日本在建立邦交之前花了多久的時間做談判？", "雙方在經歷了13年零8個月的談判後，才於1965年6月22日建立外交關係。", "13年零", "13年零8個月"},
		{"在東德的高速公路開車時不能超過多少的速度？", "高速公路允許的最高速度為100公里/小時。", "100公里", "100公里/小時"},
		{"關島的持續風速最高是多少？", "持續風速為144英里每小時；陣風達173英里每小時，於2002年12月8日侵襲關島，造成嚴重損害。", "144英里", "144英里每小時"},
		{"山本五十六認為珍珠港事件僅能帶來多久的優勢?", "山本認為一次成功的襲擊只能帶來一年左右的戰略優越性，雖然之後的南方作戰極為成功，但仍無法打敗擁有絕對物資優勢的美國。", "一年", "一年左右"},
		// 至 after a verb closes no range: 增至.
		{"该市人口增加到多少？", "该市人口从30万增至45万。", "45万", "45万"},
		// A part of a period in one character only where it ends: 20世紀初，
		// but not the 中 of 中華人民共和國.
		{"灣仔是從何時開始成為主要的嶺南傳統民宅區域?", "從20世紀初，灣仔成為主要的嶺南傳統民宅區域，但它也是英國的軍事設施所在地，如軍隊營房和海軍船塢。", "20世紀", "20世紀初"},
		{"中華人民共和國在何時與阿富汗簽訂邊界條約?", "在1960年代中華人民共和國與阿富汗簽訂邊界條約，正式承認放棄瓦罕帕米爾。", "1960年代", "1960年代"},
		// A fraction and a score whole.
		{"公元618年，東羅馬帝國的領土已經相較於原東羅馬減少多少比例?", "此時原東羅馬帝國四分之三的領土已經喪失掉了。", "四分", "四分之三"},
		{"1934年世界盃中巴西以多少比數輸給西班牙?", "四年後於義大利舉行的1934年世界盃在首輪以1比3不敵西班牙。", "1比", "1比3"},
		// A title whole: half of one names nothing (CMRC).
		{"电视剧中的歌曲收录在哪张专辑？", "《格斗天王 电视原声带》收录了剧中出现的14首歌曲及配乐。", "原声带》", "《格斗天王 电视原声带》"},
		{"电视剧中的歌曲收录在哪张专辑？", "《格斗天王 电视原声带》收录了剧中出现的14首歌曲及配乐。", "《格斗天王", "《格斗天王 电视原声带》"},
		// A time in seconds with its hundredths (CMRC).
		{"在4x100米自由式接力赛中，创造的新世界纪录是多少？", "伙拍恩赫·德克、拉诺米·克罗莫维焦约和费姆克·海姆斯凯克，打破4x100米自由式接力世界纪录，时间为3分33秒62。", "3分33秒", "3分33秒62"},
		// A transliterated name from its first character (DRCD).
		{"伏爾加保加利亞定居者的首都位於何處?", "儘管他們的首都實際上在南方很遠的保加爾市。", "爾市", "保加爾市"},
		{"選擇奧斯陸作為舉行加冕禮城市的人為誰?", "挪威國王哈康五世於1299年即位，他選擇了奧斯陸作為舉行加冕禮的城市。", "康五世", "哈康五世"},
		// A name in Latin words whole, but not with the question's words
		// (CMRC).
		{"JAXR API的代号是什么？", "JAXR API是在JCP下开发的，代号JSR 93。", "JSR", "JSR 93"},
		{"J Storm为KAT-TUN出道而成立的品牌是什么？", "2006年3月，J Storm为KAT-TUN出道而成立另一个品牌「J-One Records」。", "J-One", "J-One Records"},
		{"JAXR的什么是在JCP下开发的？", "JAXR API是在JCP下开发的，代号JSR 93。", "API", "API"},
		// A word that opens with a particle character stays whole.
		{"鄭軍大將施琅因處決鄭成功麾下的哪位部將而降清?", "施琅因處決曾德而與鄭成功結怨。", "曾德", "曾德"},
	}
	for _, tt := range tests {
		t.Run(tt.chosen, func(t *testing.T) {
			q := question.Analyze(tt.question)
			text := []rune(tt.sentence)
			folded := analysis.FoldRunes(tt.sentence)
			sp := refine(q, folded, spanOf(t, tt.sentence, tt.chosen))
			if got := string(text[sp.Start:sp.End]); got != tt.want {
				t.Errorf("refined to %q, want %q", got, tt.want)
			}
		})
	}
}

// TestWithDefinition puts the sentence that defines a definition
// question's subject first. The sentences are quoted from CMRC 2018
// trial articles (CC BY-SA 4.0).
func TestWithDefinition(t *testing.T) {
	tests := []struct {
		name, subject string
		texts         []string // the first is the reader's pick
		want          string   // the first sentence after, by its opening
	}{
		{"bracketed own words, then 又称",
			"翼尖小翼",
			[]string{"不过增加翼尖小翼，翼端结构为了组装翼尖小翼会比较复杂，也会增加一些额外的重量，若是装了翼尖小翼都只飞两小时内短程航线，油耗反而会增加，飞长程航线才能得到降低油耗的效益。",
				"翼尖小翼（winglet或wingtip），又称作翼梢小翼、翼尖帆或翼端帆，通常用于提高固定翼航空器机翼的效率，也可用来改善航空器的操纵特性。"},
			"翼尖小翼（winglet"},
		{"a comma, then 是; a longer term is another subject",
			"标准杆",
			[]string{"标准杆数是指在单一球场，或者单一球洞范畴内，预先估计的完成杆数；标准杆数也被定义为：在高尔夫竞赛中，选手将球从开球区击到球洞内所预先估计的所需击球次数。",
				"标准杆，是一个高尔夫球运动术语，用以定义某一球洞从开球到完成进洞所需要的挥杆次数，以作为比赛成绩的参考依据。"},
			"标准杆，是"},
		{"a title",
			"《宇宙奇兵》",
			[]string{"《宇宙奇兵》（）是Studio Pierrot所制作总共播映51集的机器人动画，于1984年10月7日至1985年9月29日由日本日本电视台播出。"},
			"《宇宙奇兵》"},
		{"no sentence defines it: the picks stay",
			"翼尖小翼",
			[]string{"不过增加翼尖小翼，翼端结构为了组装翼尖小翼会比较复杂，也会增加一些额外的重量，若是装了翼尖小翼都只飞两小时内短程航线，油耗反而会增加，飞长程航线才能得到降低油耗的效益。"},
			"不过增加翼尖小翼"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sents := extractive{}.sentences(passages(tt.texts...))
			got := withDefinition(tt.subject, sents, sents[:1])
			if !strings.HasPrefix(got[0].text, tt.want) {
				t.Errorf("first sentence %q, want one opening %q", got[0].text, tt.want)
			}
			if len(got) != min(2, len(sents)) {
				t.Errorf("%d sentences, want %d", len(got), min(2, len(sents)))
			}
		})
	}
}

// TestAnswerPartsDefinition: a compound question's part that asks what
// something is takes the sentence that defines it, and its other part its
// own best sentence. The sentences are quoted from a CMRC 2018 trial
// article (CC BY-SA 4.0).
func TestAnswerPartsDefinition(t *testing.T) {
	ps := passages(
		"标准杆数是指在单一球场，或者单一球洞范畴内，预先估计的完成杆数；标准杆数也被定义为：在高尔夫竞赛中，选手将球从开球区击到球洞内所预先估计的所需击球次数。",
		"单一球场的标准杆数一般为该球场的所有球洞标准杆数之总和。",
		"标准杆，是一个高尔夫球运动术语，用以定义某一球洞从开球到完成进洞所需要的挥杆次数，以作为比赛成绩的参考依据。",
	)
	q := question.Analyze("什么是标准杆？单一球场的标准杆数一般怎样计算？")
	if len(q.Parts) != 2 || q.Parts[0].Subject != "标准杆" {
		t.Fatalf("parts %d, first subject %q", len(q.Parts), q.Parts[0].Subject)
	}
	e := extractive{}
	sents := e.sentences(ps)
	got := e.answerParts(q, ps, sents[:1])
	var opens []string
	for _, s := range got {
		opens = append(opens, string([]rune(s.text)[:6]))
	}
	for _, want := range []string{"标准杆，是一", "单一球场的标"} {
		if !slices.Contains(opens, want) {
			t.Errorf("the answer's sentences open %q, none %q", opens, want)
		}
	}
}

// englishDoc is the folder holding the Go memory model as the Go 1.26
// distribution ships it (doc/go_mem.html, copied unchanged; BSD licence):
// the extractor's own fixture of a page fragment, read here as a
// collection in English.
var englishDoc = filepath.Join("..", "extract", "testdata", "fragment")

// englishIndex indexes englishDoc offline.
func englishIndex(t *testing.T) *testindex.Index {
	t.Helper()
	res, err := corpus.LoadDir(t.Context(), englishDoc, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := testindex.Build(t.Context(), t.TempDir(), 64, res.Documents)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// TestEnglishCollectionOffline: offline, English questions to an English
// collection are decided by the answerability model like any other, and a
// question the document does not answer is refused. The document is the
// Go memory model (englishDoc), read by wenda's HTML extractor.
func TestEnglishCollectionOffline(t *testing.T) {
	ctx := context.Background()
	ix := englishIndex(t)
	svc := NewService(ix, Options{})
	topic := prompts.Topic{Title: "The Go Memory Model", Language: "en"}
	tests := []struct {
		question   string
		answerable bool
		mentions   string
	}{
		// Read as a definition: the sentence that defines the term
		// answers, not the first that mentions it.
		{"What is a data race?", true, "a data race is defined as"},
		// What a term means, whatever words it is made of and however
		// they are joined: the sentence that defines it answers.
		{"What does happens-before mean?", true, "the happens before relation is defined as"},
		{"What does happens before mean?", true, "the happens before relation is defined as"},
		{"How many bytes does a new goroutine stack start with?", false, ""},
		{"Which garbage collector does the Go runtime use?", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			a, err := svc.Ask(ctx, Request{Question: tt.question, Topic: topic})
			if err != nil {
				t.Fatal(err)
			}
			if a.Answerable != tt.answerable {
				t.Fatalf("answerable %v (answerability %.3f, threshold %.3f), want %v: %s", a.Answerable, a.Answerability.Probability, a.Answerability.Threshold, tt.answerable, a.Text)
			}
			if a.ReasonCode == RefusalUntranslated {
				t.Errorf("a question to an English collection refused as untranslated: %s", a.Reason)
			}
			if tt.answerable {
				checkCited(t, ix, a)
			}
			if tt.answerable && !strings.Contains(strings.ToLower(a.Text), tt.mentions) {
				t.Errorf("answer %q does not mention %q", a.Text, tt.mentions)
			}
		})
	}
}

// TestComposeJoinsSentences: the sentences of an answer follow each other
// as their script writes them: English ones after a space, Chinese ones
// after the full stop alone. The sentences are the Go memory model's and
// a shipped article's.
func TestComposeJoinsSentences(t *testing.T) {
	sent := func(pos int, text string) *sentence {
		return &sentence{doc: "d", pos: pos, text: text, folded: analysis.FoldRunes(text)}
	}
	tests := []struct {
		name  string
		sents []*sentence
		want  string
	}{
		{"English", []*sentence{
			sent(0, "The happens before relation is defined as the transitive closure of the union of the sequenced before and synchronized before relations."),
			sent(200, "w happens before r."),
		}, "The happens before relation is defined as the transitive closure of the union of the sequenced before and synchronized before relations[1]. w happens before r[1]."},
		{"Chinese", []*sentence{
			sent(0, "当地时间10月30日，中国国家主席习近平在韩国釜山与美国总统特朗普举行会晤。"),
			sent(50, "这场持续1小时40分钟的高层沟通超出原定的时间安排。"),
		}, "当地时间10月30日，中国国家主席习近平在韩国釜山与美国总统特朗普举行会晤[1]。这场持续1小时40分钟的高层沟通超出原定的时间安排[1]。"},
		// A paragraph that lost its last full stop (the interview with
		// 吴心伯 ends one so) is quoted with one, after its marker.
		{"unterminated", []*sentence{
			sent(0, "就像當年尼克松在美國對台政策上的調整一樣，現在又到了一個歷史節點"),
			sent(40, "美國在台灣問題上真正關心的是和平解決。"),
		}, "就像当年尼克松在美国对台政策上的调整一样，现在又到了一个历史节点[1]。美国在台湾问题上真正关心的是和平解决[1]。"},
		// An answer that ends on a clause of the article ends as a
		// sentence does, with the stop of its script (the report from
		// the 双C forum writes the ASCII semicolon; the DRCD article on
		// Rwanda, CC BY-SA, the full-width one).
		{"clause last", []*sentence{
			sent(0, "一是双方更重视从各自内政目标出发,寻求成为互相成就、共同繁荣的伙伴;"),
		}, "一是双方更重视从各自内政目标出发,寻求成为互相成就、共同繁荣的伙伴[1]。"},
		{"clause last, full width", []*sentence{
			sent(0, "盧安達從殖民時代前就一直是一個統一的國家，其人口均屬巴尼亞盧安達人這一個民族和語言團體；"),
		}, "卢安达从殖民时代前就一直是一个统一的国家，其人口均属巴尼亚卢安达人这一个民族和语言团体[1]。"},
		{"clause last, English", []*sentence{
			sent(0, "w happens before r;"),
		}, "w happens before r[1]."},
		// A sentence that announces the items after it keeps its colon,
		// after the marker; the Word file's list items have no stop. An
		// announcement that ends the answer ends with a full stop.
		{"announcement", []*sentence{
			sent(0, "從這一段時間的中美經貿談判可以看出，中美打交道想要取得積極和建設性的成果，有幾個要素是必不可少的："),
			sent(70, "平等相待"),
			sent(80, "尊重對方的合理利益關切"),
		}, "从这一段时间的中美经贸谈判可以看出，中美打交道想要取得积极和建设性的成果，有几个要素是必不可少的[1]：平等相待[1]。尊重对方的合理利益关切[1]。"},
		{"announcement last", []*sentence{
			sent(0, "這次互動主要展現以下幾個特徵："),
		}, "这次互动主要展现以下几个特征[1]。"},
		{"unterminated English", []*sentence{
			sent(0, "w happens before r, as the program writes them"),
			sent(60, "A data race is defined as a write to a memory location happening concurrently with another read or write to that same location."),
		}, "w happens before r, as the program writes them[1]. A data race is defined as a write to a memory location happening concurrently with another read or write to that same location[1]."},
	}
	for _, tt := range tests {
		if got := compose(tt.sents, hanzi.Simplified); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}

// TestQuotable: which lines of real articles may be quoted as an answer.
// A paragraph's last sentence that lost its full stop is one, when it is
// written in clauses and long enough not to be a heading; a title, a line
// of key words and a photo caption are not. The lines are from the
// shipped articles and, 冷湖, from a CMRC 2018 trial article (Wikipedia,
// CC BY-SA 4.0), each as its file writes it.
func TestQuotable(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"冷湖原为无人区，1954年发现石油后开始建设，1959年青海石油管理局迁至冷湖，1959年设立冷湖市，1964年降格为镇，1992年升级为县级行政区，人口2.4万人（2007年）", true},
		{"就像當年尼克松在美國對台政策上的調整一樣，現在又到了一個歷史節點", true},
		{"美國在台灣問題上真正關心的是和平解決。", true},
		{"长久以来的错误认知：对中美“脱钩”的批判性观点", false},
		{"〔关键词〕 特朗普第二任期、中美关系、美国对华政策、元首外交", false},
		{"▲复旦大学国际问题研究院教授、美国研究中心副主任,清华大学战略与安全研究中心特约专家、中国论坛特约专家赵明昊在双C论坛上发言(图片来源:中评社资料图)", false},
		{"冷湖行政区", false},
		{"那么，中美关系的下一步会怎样？", false},
	}
	for _, tt := range tests {
		if got, _ := quotable(tt.line, false); got != tt.want {
			t.Errorf("quotable(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}

// TestLabelledSentences: a footnote or a numbered point that says
// something is quoted without its label; one that cites a source is not
// quoted. The notes are those of the shipped paper (trump-return-new-stage),
// as the cleaner writes them after the body, and of the report on
// decoupling, in its Chinese translation. The numbered points are the
// paper's sentences numbered the ways reports and PDFs number them; the
// bibliography entries are real works in GB/T 7714, APA and a publisher's
// list (CMRC 2018's article on 《GOTH 断掌事件》); the numbers that are not
// labels are CMRC's article on Washburn.
func TestLabelledSentences(t *testing.T) {
	tests := []struct {
		note string
		want []string // the sentences that may be quoted
	}{
		{"[1] 据统计，2024—2025学年，正在美国高校留学的中国大陆学生人数为26.59万，比上学年减少4.1%，至此中国大陆留美学生人数已连续五年下滑。余东晖：《华府观察：美恐华之下中国在美留学生五连降》，中评社网站，2025年11月18日，https://bj.crntt.com/crn-webapp/touch/detail.jsp?coluid=7&docid=107143482。",
			[]string{"据统计，2024—2025学年，正在美国高校留学的中国大陆学生人数为26.59万，比上学年减少4.1%，至此中国大陆留美学生人数已连续五年下滑。"}},
		{"[2] 目前中美之间尚在运行的工作机制主要有经贸磋商机制、海上军事安全磋商机制、国防部工作会晤等。",
			[]string{"目前中美之间尚在运行的工作机制主要有经贸磋商机制、海上军事安全磋商机制、国防部工作会晤等。"}},
		{"[3] 例如，特朗普政府在2025年12月提出了所谓“硅和平倡议”，声称要把拥有全球顶尖科技企业或其他优势资源的国家联合起来，以确保“供应链安全”。",
			[]string{"例如，特朗普政府在2025年12月提出了所谓“硅和平倡议”，声称要把拥有全球顶尖科技企业或其他优势资源的国家联合起来，以确保“供应链安全”。"}},
		{"[*] 本文是国家社会科学基金资助项目的成果。", []string{"本文是国家社会科学基金资助项目的成果。"}},
		{"[25] 评论强调了美国的“霸道”态度及其不合理的威胁感知。相关观点可参考：中华人民共和国外交部《美国对华认知中的谬误和事实真相》，2022年6月19日，https://www.mfa.gov.cn/wjbxw_new/202206/t20220619_10706065.shtml 以及Xia Yuanyi, “For tense U.S.-China relations, blame Washington politicians”, Xinhua，2022年4月27日，https://english.news.cn/20220427/901f740f1bf8424a83901be93bf314b7/c.html。",
			[]string{"评论强调了美国的“霸道”态度及其不合理的威胁感知。"}},
		{"[1] 《习近平同美国总统特朗普通电话》，2026年2月4日。", nil},
		{"[1] 参见《习近平同美国总统特朗普通电话》，外交部网站，2025年11月24日。", nil},
		{"[1] 白云怡：《皮尤调查：中国海外形象正在提升》，环球时报网站，2025年7月17日，https://world.huanqiu.com/article/4NWYYghjWDD。", nil},
		{"[2] 宫小飞：《特朗普2.0的施政逻辑与对华政策》，《国际问题研究》2025年第5期，第109-113页。", nil},
		{"[2] The White House, “National Security Strategy of the United States of America,” November 2025, pp.17-24;", nil},
		{"[2] U.S. Department of War, “2026 National Defense Strategy,” p.9.", nil},
		{"[2] “China’s Growing Global Fan Club,” The Economist, November 13, 2025.", nil},
		{"[22] 博鳌亚洲论坛，《习近平主席在博鳌亚洲论坛2022年年会开幕大会发表主旨演讲》，2021年4月21日。", nil},
		{"1. 目前中美之间尚在运行的工作机制主要有经贸磋商机制、海上军事安全磋商机制、国防部工作会晤等。",
			[]string{"目前中美之间尚在运行的工作机制主要有经贸磋商机制、海上军事安全磋商机制、国防部工作会晤等。"}},
		{"（2）据统计，2024—2025学年，正在美国高校留学的中国大陆学生人数为26.59万。",
			[]string{"据统计，2024—2025学年，正在美国高校留学的中国大陆学生人数为26.59万。"}},
		{"目前中美之间尚在运行的工作机制主要有三个。1、经贸磋商机制。2、海上军事安全磋商机制。3) 国防部工作会晤。",
			[]string{"目前中美之间尚在运行的工作机制主要有三个。", "经贸磋商机制。", "海上军事安全磋商机制。", "国防部工作会晤。"}},
		{"7.5%的家庭和10.3%的人口生活在贫困线以下，其中包括12.3%的未成年人和6.4%的老年人。",
			[]string{"7.5%的家庭和10.3%的人口生活在贫困线以下，其中包括12.3%的未成年人和6.4%的老年人。"}},
		{"1.36%是混血儿。", []string{"1.36%是混血儿。"}},
		{"（一）要平等相待。", []string{"要平等相待。"}},
		{"1. 两国政府各个部门需尽快增加互动和接触。", []string{"两国政府各个部门需尽快增加互动和接触。"}},
		{"一、二年级的学生每周上五节课。", []string{"一、二年级的学生每周上五节课。"}},
		{"要平等相待。", nil}, // a fragment unless it is an item
		{"■ 要平等相待。", []string{"要平等相待。"}},
		{"三．不断建立政治互信。", []string{"不断建立政治互信。"}},
		{"-{zh-hans:乔治·华盛顿;zh-hant:喬治·華盛頓}-是美国第一任总统。", []string{"-{zh-hans:乔治·华盛顿;zh-hant:喬治·華盛頓}-是美国第一任总统。"}},
		{"[3] 费孝通. 乡土中国[M]. 北京: 生活·读书·新知三联书店, 1985.", nil},
		{"2. Vaswani A, Shazeer N, Parmar N, et al. Attention is all you need. Advances in Neural Information Processing Systems, 2017.", nil},
		{"（5）Devlin, J., Chang, M.-W., Lee, K., & Toutanova, K. (2019). BERT: Pre-training of deep bidirectional transformers for language understanding. Proceedings of NAACL-HLT 2019, 4171–4186.", nil},
		{"单行本全2册（文库版）。1.『GOTH断掌事件 夜之章』（收录「黑暗系」「狗」「记忆」）角川文库：ISBN 4-04-425304-8。",
			[]string{"单行本全2册（文库版）。"}},
	}
	for _, tt := range tests {
		var got []string
		for _, s := range (extractive{}).sentences(passages(tt.note)) {
			if s.quotable {
				got = append(got, s.text)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s\nquoted %q\nwant   %q", tt.note, got, tt.want)
		}
	}
}

// TestFootnoteFact: a fact the paper states only in a footnote is found,
// quoted without the note's label and cited in the notes.
func TestFootnoteFact(t *testing.T) {
	svc := NewService(realIndex(t), Options{})
	a, err := svc.Ask(context.Background(), Request{Question: "2024—2025学年在美国高校留学的中国大陆学生有多少人？比上学年减少了多少？"})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Answerable || !strings.Contains(a.Text, "26.59万") || !strings.Contains(a.Text, "4.1%") {
		t.Fatalf("answer %q (%s)", a.Text, a.ReasonCode)
	}
	if strings.Contains(a.Text, "] 据统计") || strings.Contains(a.Text, "余东晖") {
		t.Errorf("quoted the note's label or its source: %q", a.Text)
	}
}

// TestTableRowShortAnswer: a spreadsheet's rows are read as sentences of
// "header：value" fields; a short answer is a value, never a header, and
// the value of the header the question names. The workbook is the
// extractor's fixture (made with LibreOffice Calc, see
// extract/testdata/make_fixtures.py), read as a user's upload is. A
// question that names a row's value word for word is answered from that
// row, not from one that lists the value among others.
func TestTableRowShortAnswer(t *testing.T) {
	dir := t.TempDir()
	raw, err := os.ReadFile(filepath.Join("..", "extract", "testdata", "files", "qing-provinces.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "qing-provinces.xlsx"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	svc := NewService(folderIndex(t, dir), Options{})
	headers := []string{"年份", "變更", "結果", "地區", "管理機構", "長官", "机构", "機構"}
	tests := []struct{ question, want string }{
		{"蒙古由哪个机构管理？", "理藩院"},
		{"康熙六年的結果是什麼？", "江蘇省"},
		{"康熙三年有什麼變更？", ""},
		{"西藏由哪个机构管理？", "噶厦"},  // the row of 西藏, not of 蒙古、西藏、青海、新疆
		{"新疆由哪个机构管理？", "理藩院"}, // no row of its own
	}
	for _, tt := range tests {
		a, err := svc.Ask(t.Context(), Request{Question: tt.question})
		if err != nil {
			t.Fatal(err)
		}
		if a.ShortAnswer == nil {
			t.Errorf("%s: no short answer; answer %q", tt.question, a.Text)
			continue
		}
		got := a.ShortAnswer.Text
		for _, h := range headers {
			if strings.Contains(got, h) {
				t.Errorf("%s: short answer %q is the header %s", tt.question, got, h)
			}
		}
		if tt.want != "" && got != tt.want {
			t.Errorf("%s: short answer %q, want %q", tt.question, got, tt.want)
		}
	}
}

// TestRowFields: which sentences are a table's rows, and where their
// headers stand. The rows are as the extractor writes a sheet's rows (the
// workbook's, and headers with a unit, as spreadsheets name columns); the
// others are no rows: a sentence of the extractor's fixtures with two
// colons, one of the shipped interview's speaker lines, and a fixture's
// sentence given a second colon after a semicolon, whose first "header"
// opens a bracket it does not close.
func TestRowFields(t *testing.T) {
	tests := []struct {
		sentence string
		headers  []string
	}{
		{"地區：盛京、吉林、黑龍江；管理機構：將軍轄區；長官：將軍，下設副都統。", []string{"地區", "管理機構", "長官"}},
		{"年份：2021；金额（亿美元）：1511；占比(%)：21.4。", []string{"年份", "金额（亿美元）", "占比(%)"}},
		{"日本御前會議中，東條英機說道：現在局勢已十分明顯，我們已經不能在外交途徑上獲得我們所想要的；換句話說：外交手段已經窮盡。", nil},
		{"巴黎古监狱（法语：\"La Conciergerie\"）是巴黎昔日的王宫和监狱之一；位于巴黎市政厅以西：靠近巴黎圣母院。", nil},
		// Wikipedia's markup for the title in each script, in a CMRC 2018
		// trial article (CC BY-SA 4.0): fields, but after the sentence's start.
		{"《赌城谍血》（\"Casino Royale\"，1954年，黑白电视电影，主角巴里·尼尔逊（Barry Nelson））、《-{zh-hans:皇家赌场;zh-hk:铁金刚横扫皇家赌场;zh-tw:皇家夜总会;}-》（\"Casino Royale\"，1967年，喜剧电影。", nil},
		{"吴心伯：从这一段时间的中美经贸谈判可以看出，中美打交道想要取得积极和建设性的成果，有几个要素是必不可少的。", nil},
	}
	for _, tt := range tests {
		rs := []rune(tt.sentence)
		var got []string
		r := rowFields(rs, make([]float64, len(rs)))
		if r == nil {
			if tt.headers != nil {
				t.Errorf("%s: no row, want headers %q", tt.sentence, tt.headers)
			}
			continue
		}
		for _, f := range r.fields {
			got = append(got, string(rs[f.start:f.colon]))
		}
		if !slices.Equal(got, tt.headers) {
			t.Errorf("%s: headers %q, want %q", tt.sentence, got, tt.headers)
		}
	}
}

// TestEnglishShortAnswerNotAFunctionWord: the span the ranker takes for
// a thing in an English sentence may be its article alone ("The" of "The
// happens before relation is defined as…"); no short answer is better
// than that one. The document is the Go memory model (englishDoc).
// TestCutAtParticlesKeepsWords: a run is cut at its particles, but not
// inside a word that holds one (DRCD's answers 同源基因 and 理性自殺, the
// workbook's 将军).
func TestCutAtParticlesKeepsWords(t *testing.T) {
	tests := []struct {
		run  string
		want []string
	}{
		{"同源基因", []string{"同源基因"}},
		{"理性自杀", []string{"理性自杀"}},
		{"驻美国大使馆", []string{"驻美国大使馆"}},
		{"将军下设副都统", []string{"将军下设副都统"}},
		{"中国和埃及", []string{"中国", "埃及"}},
		{"将其改为行省", []string{"行省"}},
	}
	for _, tt := range tests {
		rs := []rune(tt.run)
		var got []string
		for _, sp := range cutAtParticles(rs, 0, len(rs)) {
			got = append(got, string(rs[sp.Start:sp.End]))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("cutAtParticles(%s) = %q, want %q", tt.run, got, tt.want)
		}
	}
}

func TestEnglishShortAnswerNotAFunctionWord(t *testing.T) {
	a, err := NewService(englishIndex(t), Options{}).Ask(t.Context(), Request{Question: "What is the happens before relation?"})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Answerable || !strings.Contains(a.Text, "transitive closure") {
		t.Fatalf("answerable %v: %s", a.Answerable, a.Text)
	}
	if sa := a.ShortAnswer; sa != nil && !analysis.IsContentTerm(strings.ToLower(sa.Text)) {
		t.Errorf("short answer %q", sa.Text)
	}
}

// TestEnumerationAt reads the items a sentence enumerates with 、, the
// short answer to a question asking for a list. The sentences are CMRC
// 2018 trial's, verbatim; the last enumerates a piece cut at a particle
// (到|达), which is no item.
func TestEnumerationAt(t *testing.T) {
	tests := []struct{ sentence, want string }{
		// 曾 and 之 are particles elsewhere, and 曾之乔 a name; 主演 stays,
		// for the lexicon knows it as a noun.
		{"于2004年12月15日开拍及于2005年1月16日在台湾台视播出，由孙协志、王仁甫、刘品言、曾之乔主演。", "孙协志、王仁甫、刘品言、曾之乔主演"},
		{"数字60有12个因数，即1、2、3、4、5、6、10、12、15、20、30和60，其中2、3和5是质数。", "1、2、3、4、5、6、10、12、15、20、30和60"},
		{"戴尔·罗素提出扁掌龙亚科包含两个族：扁掌龙族、倾齿龙族。", "扁掌龙族、倾齿龙族"},
		{"中国球迷将谭望嵩与另外四名球员戏称为中国足球“五大恶人”，即“南秦升、北周挺、东戴琳、西柯钊、中望嵩”。", "南秦升、北周挺、东戴琳、西柯钊、中望嵩"},
		{"治疗滋肾、虚劳、气喘、咳嗽、吐血、消渴、便秘、盗汗、痛风、低热不退等症。", "治疗滋肾、虚劳、气喘、咳嗽、吐血、消渴、便秘、盗汗、痛风、低热不退"},
		{"英语的“暴发户”这个词源自法语，是动词“”的过去分词，意思是到达、抵达、有些成就。", ""},
	}
	for _, tt := range tests {
		text := analysis.FoldRunes(tt.sentence)
		k := slices.Index(text, '、')
		sp, n := enumerationAt(text, k)
		got := ""
		if n >= 2 {
			got = string(text[sp.Start:sp.End])
		}
		if got != tt.want {
			t.Errorf("enumerationAt(%q) = %q (%d items), want %q", tt.sentence, got, n, tt.want)
		}
	}
}

// TestAuthorQuestion asks two shipped dev questions who wrote an article
// (the expected answers are the questions' own). The span ranker answered
// the first APLN, and the answerability model put the second under its
// threshold (0.643) though a passage of the article it describes names
// its author.
func TestAuthorQuestion(t *testing.T) {
	svc := NewService(realIndex(t), Options{})
	for _, tt := range []struct{ question, want string }{
		{"《长久以来的错误认知：对中美“脱钩”的批判性观点》这份报告的作者是谁？", "Rukmani Gupta"},
		{"這篇談釜山會晤與G2的評論文章作者是誰？", "趙明昊"},
	} {
		t.Run(tt.want, func(t *testing.T) {
			a, err := svc.Ask(t.Context(), Request{Question: tt.question})
			if err != nil {
				t.Fatal(err)
			}
			if !a.Answerable || a.ShortAnswer == nil || a.ShortAnswer.Text != tt.want || !a.Answerability.Stated {
				t.Fatalf("answerable %v, short answer %+v, answerability %+v; want %s, stated", a.Answerable, a.ShortAnswer, a.Answerability, tt.want)
			}
			if !strings.Contains(a.Text, tt.want) {
				t.Errorf("answer %q does not hold %s", a.Text, tt.want)
			}
		})
	}
}

// TestIdentityWithoutDescription asks who a person is whom the passages
// found name without saying who he is: no span is the answer (the ranker
// chose 第一任期 of 在特朗普第一任期), and the answer is the sentences.
func TestIdentityWithoutDescription(t *testing.T) {
	svc := NewService(realIndex(t), Options{})
	a, err := svc.Ask(context.Background(), Request{Question: "特朗普是谁？"})
	if err != nil {
		t.Fatal(err)
	}
	if a.ShortAnswer != nil {
		t.Errorf("short answer %q to who a person is", a.ShortAnswer.Text)
	}
	if a.Answerable && a.Answerability.Stated {
		t.Errorf("answerability %+v says a passage describes him", a.Answerability)
	}
}

// TestIdentityQuestion: asked who a person is, wenda answers with the
// description the shipped articles give the name, as the short answer,
// and with the sentence that gives it; not with a name it stands beside
// or what the person said (the short answer was 宋伟建议, and the
// sentences quoted were his views). Asked in Traditional characters, the
// answer is in Traditional characters.
func TestIdentityQuestion(t *testing.T) {
	svc := NewService(realIndex(t), Options{})
	tests := []struct{ question, want string }{
		{"宋伟是谁？", "中国人民大学国家发展与战略研究院研究员、国际关系学院教授"},
		{"宋偉是誰？", "中國人民大學國家發展與戰略研究院研究員、國際關係學院教授"},
		{"谁是赵明昊？", "复旦大学美国研究中心副主任、教授"},
		{"贝森特是什么人？", "美方牵头人、美国财政部长"},
		// The answerability model scores this one under its threshold
		// (0.62); the description answers it.
		{"吴心伯是谁？", "复旦大学国际问题研究院院长、美国研究中心主任"},
		// However it asks who, it searches the same way: 谁是吴心伯 found
		// other passages than 吴心伯是谁 and was refused at 0.36.
		{"谁是吴心伯？", "复旦大学国际问题研究院院长、美国研究中心主任"},
		{"誰是吳心伯？", "復旦大學國際問題研究院院長、美國研究中心主任"},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			a, err := svc.Ask(context.Background(), Request{Question: tt.question})
			if err != nil {
				t.Fatal(err)
			}
			if !a.Answerable {
				t.Fatalf("refused: %s", a.Text)
			}
			if !a.Answerability.Stated {
				t.Errorf("answerability %+v does not say a passage describes the person", a.Answerability)
			}
			if a.ShortAnswer == nil || a.ShortAnswer.Text != tt.want {
				t.Fatalf("short answer %+v, want %q", a.ShortAnswer, tt.want)
			}
			if !strings.Contains(a.Text, tt.want) || len(a.Citations) != 1 {
				t.Errorf("answer %q with %d citations, want the one sentence that holds %q", a.Text, len(a.Citations), tt.want)
			}
			if c := a.Citations[a.ShortAnswer.Citation-1]; c.DocID != a.ShortAnswer.DocID {
				t.Errorf("short answer in %s, cited from %s", a.ShortAnswer.DocID, c.DocID)
			}
		})
	}
}

// TestWithoutAskedItems: a short answer that lists things loses, at its
// start and its end, the items the question names itself. Questions and
// spans of the DRCD dev set (CC BY-SA 3.0), the last two written for the
// test.
func TestWithoutAskedItems(t *testing.T) {
	tests := []struct{ question, span, want string }{
		{"便利商店在日本發展的速度極快的原因有二，一項是地狹人稠，另一項原因為?", "地狹人稠且都市化程度高", "都市化程度高"},
		{"海鮮之所以是台灣街頭常見的料理，和兩項因素有關，一項是台灣漁產豐富，另一項是?", "台灣四面環海且漁產豐富", "台灣四面環海"},
		{"「恆河治理計畫」失敗的原因有五個，除了印度傳統及信仰、缺乏宗教上有利支持、技術不足、貪汙，還有何原因?", "貪汙、技術不足、缺乏良好環境計畫", "缺乏良好環境計畫"},
		// Most of an item is the question's: 清廷派來的官吏素質低.
		{"除了官民間語言的隔閡、清廷派來的官吏素質低，還有哪一項原因?", "初期清廷派來的官吏素質低、清廷對臺灣住民的高壓政策", "清廷對臺灣住民的高壓政策"},
		// Every item named: the answer stays as it is.
		{"除了地狹人稠和都市化程度高，還有什麼原因?", "地狹人稠且都市化程度高", "地狹人稠且都市化程度高"},
		// A title is never cut.
		{"哪一部作品由胡桃鉗、老鼠王改編?", "《胡桃鉗、老鼠王》", "《胡桃鉗、老鼠王》"},
	}
	for _, tt := range tests {
		q := question.Analyze(tt.question)
		folded := analysis.FoldRunes(tt.span)
		sp := withoutAskedItems(q, folded, analysis.Span{Start: 0, End: len(folded)})
		if got := tt.span[len(string([]rune(tt.span)[:sp.Start])):len(string([]rune(tt.span)[:sp.End]))]; got != tt.want {
			t.Errorf("%s %q → %q, want %q", tt.question, tt.span, got, tt.want)
		}
	}
}

// TestWithoutAskedNoun: a short answer loses the noun the question asks
// about when a 的 joins it to the answer, and keeps it when it is part of
// the answer's name. Questions and spans of the DRCD dev set (CC BY-SA
// 3.0), the last written for the test.
func TestWithoutAskedNoun(t *testing.T) {
	tests := []struct{ question, span, want string }{
		{"君士坦丁曾經以什麼樣的罪名將馬爾塞魯撤職?", "散布異端的罪名", "散布異端"},
		{"在83—84年間，中國科幻文學被貼上什麼標籤許多創作者大量受到迫害?", "精神污染的標籤", "精神污染"},
		// Part of the name: no 的 before the noun.
		{"許多高校於1969年時由於戰備大疏散和哪一個革命的破壞而遷出北京?", "文化大革命", "文化大革命"},
		{"義熙七年時劉裕受封了太尉以及哪一個職位?", "中書監職位", "中書監職位"},
		// Fewer than two characters would be left.
		{"他們有什麼樣的罪名?", "X的罪名", "X的罪名"},
	}
	for _, tt := range tests {
		q := question.Analyze(tt.question)
		folded := analysis.FoldRunes(tt.span)
		sp := withoutAskedNoun(q, folded, analysis.Span{Start: 0, End: len(folded)})
		if got := string([]rune(tt.span)[sp.Start:sp.End]); got != tt.want {
			t.Errorf("%s %q → %q, want %q", tt.question, tt.span, got, tt.want)
		}
	}
}

// TestOfMeasure: a number question that names what it measures is
// answered by the best-ranked number of that kind; a fraction in digits
// is a share, not an amount of money. The sentence is written for the
// test after a DRCD question (CC BY-SA 3.0) answered by 1/3.
func TestOfMeasure(t *testing.T) {
	text := "1918年，德国依条约失去了1/3的人口、90%的煤矿和5亿美元的资产，领土减少了四分之三。"
	folded := analysis.FoldRunes(text)
	s := &sentence{text: text, folded: folded}
	span := func(w string) *candidate {
		i := strings.Index(text, w)
		start := utf8.RuneCountInString(text[:i])
		return &candidate{sent: s, span: analysis.Span{Start: start, End: start + utf8.RuneCountInString(w)}}
	}
	tests := []struct {
		question string
		ranked   []string
		want     string // the short answer it gives; "" for none
	}{
		{"德国失去了多少比例的人口?", []string{"1918年", "1/3", "90%"}, "1/3"},
		{"德国失去了多少比例的人口?", []string{"1918年", "90%", "1/3"}, "90%"},
		{"德国失去的资产金额是多少?", []string{"1918年", "1/3", "5亿美元"}, "5亿美元"},
		{"德国失去的资产金额是多少?", []string{"1918年", "1/3"}, ""},
		// A fraction in words: its candidate is 四分, shown whole.
		{"德国的领土减少了多少比例?", []string{"1918年", "四分", "90%"}, "四分之三"},
		{"德国失去的资产金额是多少?", []string{"1918年", "四分"}, ""},
	}
	for _, tt := range tests {
		q := question.Analyze(tt.question)
		var spans []*candidate
		for _, w := range tt.ranked {
			spans = append(spans, span(w))
		}
		got := ""
		if c := ofMeasure(q, spans); c != nil {
			got = c.shownText(q)
		}
		if got != tt.want {
			t.Errorf("%s %q: %q, want %q (measure %q)", tt.question, tt.ranked, got, tt.want, q.Measure)
		}
	}
}

// TestQuotedName: a question that asks what a thing is called is answered
// by the name a sentence sets in quotation marks beside a word of naming;
// not by another quotation, not for a question that asks for a date or
// asks no name, and never by words of the question. The sentences are
// written for the test after DRCD questions (CC BY-SA 3.0) on which the
// ranker chose 城市 and 罗马城.
func TestQuotedName(t *testing.T) {
	tests := []struct {
		question string
		sents    []string
		want     string // "" for none
	}{
		{"匹茲堡因為其鋼鐵工業，而獲得什麼稱號?", []string{"匹兹堡进入钢铁工业发展的「黄金时期」。", "匹兹堡曾是美国著名的钢铁工业城市，有「世界钢都」之称。"}, "世界钢都"},
		{"此情形又被稱為什麼?", []string{"教宗将自己限于梵蒂冈宫，此情形被稱為「梵蒂岡之囚」。"}, "梵蒂冈之囚"},
		{"楊浦區有什麼美譽?", []string{"杨浦区素有「上海学府中央区」的美誉。"}, "上海学府中央区"},
		{"匹茲堡因為其鋼鐵工業，而獲得什麼稱號?", []string{"匹兹堡进入钢铁工业发展的「黄金时期」。"}, ""},
		{"央視網自哪一年開始又稱為「中國網絡電視台」?", []string{"2010年，央视网又称为「中国网络电视台」，由「ICNTV爱尚传媒」运营。"}, ""},
		{"匹茲堡是什麼城市?", []string{"匹兹堡曾是美国著名的钢铁工业城市，有「世界钢都」之称。"}, ""},
		{"「三王」被稱為什麼?", []string{"他们被称为「三王」，又称「天王」。"}, "天王"},
	}
	for _, tt := range tests {
		q := question.Analyze(tt.question)
		var sents []*sentence
		for _, text := range tt.sents {
			sents = append(sents, &sentence{text: text, folded: analysis.FoldRunes(text)})
		}
		got := ""
		if s, sp, ok := quotedName(q, sents); ok {
			got = string(s.folded[sp.Start:sp.End])
		}
		if got != tt.want {
			t.Errorf("%s: %q, want %q", tt.question, got, tt.want)
		}
	}
}
