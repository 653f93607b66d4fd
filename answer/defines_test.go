package answer

import (
	"strconv"
	"testing"

	"wenda/question"
	"wenda/retrieval"
)

// TestAliasIn answers alias questions of the CMRC 2018 trial and DRCD dev
// sets (CC BY-SA) from sentences quoted from their articles; the DRCD
// question about 岩石圈 is reworded to name the sentence's own term.
func TestAliasIn(t *testing.T) {
	tests := []struct {
		name, question, text, want string
	}{
		{"又名 after the term", "凉茶舖又叫什么？",
			"凉茶舖，又名凉茶店，是售卖凉茶的商店，有些设有座位，亦有些是中医馆、中药行兼卖凉茶。", "凉茶店"},
		{"或称", "内台航路也叫什么？",
			"内台航路，或称内台航线，是台湾日治时期连结日本内地与台湾的海运航线，又分为官方指定的「命令航路」和民间业者自行经营的「自由航路」两种。", "内台航线"},
		{"brackets stay inside the name", "刺角瓜又名什么？",
			"刺角瓜（Cucumis metuliferus），又名非洲角黄瓜（African horned cucumber）或火参果（kiwano），为葫芦科甜瓜属植物，原产于非洲喀拉哈里沙漠，现在美国加州、密西西比州、智利、澳大利亚和新西兰均有培植。",
			"非洲角黄瓜（African horned cucumber）或火参果（kiwano）"},
		{"a list that pairs terms with names", "刘六的本名是什么？",
			"刘六本名刘宠、刘七本名刘宸，兄弟二人皆河北霸州文安县人，均“胆力弓矢绝伦”，骁勇善骑射，最初协助官府捕捉“响马盗”。", "刘宠"},
		{"an English name", "越南投资发展银行的英文名是什么？",
			"越南投资发展银行（国语字：，儒字：，英文全称：Bank for Investment and Development of Vietnam，英文简称：BIDV）是越南最大的国有银行。",
			"Bank for Investment and Development of Vietnam"},
		{"the item that ends in the noun asked about", "地質的表面又被稱為什麼圈?",
			"地質的表面，或稱岩石圈、地殼，是地球表面最外層的固體。", "岩石圈"},
		// Another bank's name: 银行 is too small a part of the subject.
		{"another term's name", "西贡商业信用银行的英文名是什么？",
			"越南投资发展银行（国语字：，儒字：，英文全称：Bank for Investment and Development of Vietnam，英文简称：BIDV）是越南最大的国有银行。", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := question.Analyze(tt.question)
			if q.Alias == "" {
				t.Fatalf("%q is not an alias question", tt.question)
			}
			ps := passages(tt.text)
			ref, _ := aliasIn(q, extractive{}.sentences(ps))
			if got := refText(ps, ref); got != tt.want {
				t.Errorf("name %q, want %q", got, tt.want)
			}
		})
	}
}

// TestIdentityIn answers identity questions (宋伟是谁？) from sentences
// quoted verbatim from the shipped articles (the first two from
// apec-forum-observations, the bracketed one from madrid-talks-interview,
// in Traditional characters as it is written) and from the DRCD dev set
// (CC BY-SA): the description is the titles before the name, back to the
// start of their clause, to a 是 or to the conjunction after another
// person's name, or what follows the name and 是.
func TestIdentityIn(t *testing.T) {
	const forum = "出席第五届双C论坛的专家学者有:中国人民大学国家发展与战略研究院研究员、国际关系学院教授宋伟,中国社会科学院美国研究所战略研究室副主任李枏,中国社会科学院亚太与全球战略研究院研究员王俊生,复旦大学国际问题研究院教授、美国研究中心副主任,清华大学战略与安全研究中心特约专家、中国论坛特约专家赵明昊,清华大学战略与安全研究中心博士后研究员、中国论坛媒体传播主任文晶,中评社国际部主任、中评智库研究员郭至君在线上参加,论坛由清华大学战略与安全研究中心主任达巍主持。"
	const trump = "其团队内部，既有国家安全鹰派，如国务卿鲁比奥、前任总统国家安全事务助理华尔兹、国防部长赫格塞思等，他们主张积极遏制中国；又有经贸鹰派，如总统贸易与制造业高级顾问纳瓦罗、商务部长卢特尼克，他们希望推动对华“脱钩”，打压中国的技术进步；还有经贸务实派，如财政部长贝森特，他主张要解决美国在对华经贸关系中的利益关切，但不必追求广泛的“脱钩”，也不认为关税是有效的武器。"
	const busan = "當地時間10月30日，中國國家主席習近平在韓國釜山與美國總統特朗普舉行會晤，這場持續1小時40分鐘的高層溝通超出原定的時間安排，對外釋放了中美關係的積極信號。"
	const madrid = "9月14日至15日，中美經貿中方牽頭人、國務院副總理何立峰與美方牽頭人、美國財政部長貝森特（Scott Bessent）以及貿易代表格里爾在西班牙馬德里舉行會談。"
	tests := []struct {
		name, question, text, want string
	}{
		{"titles joined by 、", "宋伟是谁？", forum, "中国人民大学国家发展与战略研究院研究员、国际关系学院教授"},
		{"谁是", "谁是李枏？", forum, "中国社会科学院美国研究所战略研究室副主任"},
		{"back to the comma", "赵明昊是什么人？", forum, "清华大学战略与安全研究中心特约专家、中国论坛特约专家"},
		{"after the conjunction that follows another name", "贝森特是谁？", madrid, "美方牽頭人、美國財政部長"},
		{"the first of two", "何立峰是谁？", madrid, "中美經貿中方牽頭人、國務院副總理"},
		{"without 以及", "格里尔是谁？", madrid, "貿易代表"},
		{"after 是", "塞內卡是誰?", "塞內卡是古羅馬最重要的悲劇作家，他受斯多葛哲學影響，精於修辭和哲學，並曾擔任過著名暴君尼祿的老師。", "古羅馬最重要的悲劇作家"},
		{"after a comma", "吴心伯是谁？", "〔作者简介〕 吴心伯，复旦大学美国研究中心主任、教授", "复旦大学美国研究中心主任、教授"},
		{"after the verb whose object he is", "吳心伯是誰？", "圍繞上述問題，觀察者網獨家對話復旦大學國際問題研究院院長、美國研究中心主任吳心伯教授，全面解讀當下中美關係。", "復旦大學國際問題研究院院長、美國研究中心主任"},
		{"after the conjunction that follows another name and a place", "特朗普是谁？", busan, "美國總統"},
		{"the first of two, before a place", "习近平是谁？", busan, "中國國家主席"},
		{"after 、 that follows another name", "卢特尼克是谁？", trump, "商务部长"},
		{"after 、, 助理", "华尔兹是谁？", trump, "前任总统国家安全事务助理"},
		{"a conjunction inside the title, after 如", "纳瓦罗是谁？", trump, "总统贸易与制造业高级顾问"},
		{"after 如", "鲁比奥是谁？", trump, "国务卿"},
		{"、 between two titles", "文晶是谁？", forum, "清华大学战略与安全研究中心博士后研究员、中国论坛媒体传播主任"},
		{"not the date before it", "李成钢是谁？", "值得一提的是，8月中国商务部国际贸易谈判代表兼副部长李成钢访问美国，与美国财政部、商务部和贸易代表办公室相关官员举行会谈，向美方严正阐明中方在相关问题上的立场，显示出中方更加积极主动地塑造对美博弈。", "中国商务部国际贸易谈判代表兼副部长"},
		// What he said says nothing of who he is.
		{"no title", "宋伟是谁？", "宋伟建议,中美应抓住2026年APEC峰会在深圳举办的契机,优先推动亚太自贸区建设。", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := question.Analyze(tt.question)
			if q.Identity == "" {
				t.Fatalf("%q is not an identity question", tt.question)
			}
			ps := passages(tt.text)
			ref, _ := identityIn(q.Identity, extractive{}.sentences(ps))
			if got := refText(ps, ref); got != tt.want {
				t.Errorf("description %q, want %q", got, tt.want)
			}
		})
	}
}

// TestAuthorIn: the name an author statement gives, for a question that
// asks who wrote a document, and whether the document it is in is the one
// the question names by its title. The statements are the shipped
// articles' lines, verbatim, under their titles.
func TestAuthorIn(t *testing.T) {
	const (
		trump      = "特朗普归来与中美博弈的新阶段"
		trumpLines = "〔关键词〕 特朗普第二任期、中美关系、美国对华政策、元首外交\n\n〔作者简介〕 吴心伯，复旦大学美国研究中心主任、教授\n\n〔中图分类号〕 D822.371.2"
		g2         = "釜山會晤後的中美關係：「有限緩和」與「新G2」"
		g2Line     = "本文作者是復旦大學美國研究中心副主任、教授趙明昊。"
		forum      = "APEC峰会后中美关系新观察"
		forumLine  = "原文标题《双C论坛:APEC峰会后中美关系新观察》,文章转载自公众号“清华大学战略与安全研究中心”。"
	)
	type doc struct{ title, text string }
	tests := []struct {
		name, question string
		docs           []doc
		want           string
		named          bool
	}{
		{"after 作者简介", "《特朗普归来与中美博弈的新阶段》的作者是谁？", []doc{{g2, g2Line}, {trump, trumpLines}}, "吴心伯", true},
		{"after 作者是 and his titles", "這篇談釜山會晤與G2的評論文章作者是誰？", []doc{{trump, trumpLines}, {g2, g2Line}}, "趙明昊", true},
		{"one document, not named", "这篇文章是谁写的？", []doc{{g2, g2Line}}, "趙明昊", false},
		// The forum's article names no author; the G2 article's is not
		// its author.
		{"another document's author", "双C论坛那篇文章的作者是谁？", []doc{{forum, forumLine}, {g2, g2Line}}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := question.Analyze(tt.question)
			if !q.Author {
				t.Fatalf("%q does not ask for an author", tt.question)
			}
			var ps []retrieval.Passage
			for i, d := range tt.docs {
				p := passages(d.text)[0]
				p.DocID, p.Title = "doc"+strconv.Itoa(i), d.title
				ps = append(ps, p)
			}
			ref, _, named := authorIn(q, extractive{}.sentences(ps))
			if got := refText(ps, ref); got != tt.want || named != tt.named {
				t.Errorf("author %q (named %v), want %q (%v)", got, named, tt.want, tt.named)
			}
		})
	}
}

// refText is the text a span reference points at, or "" for nil.
func refText(ps []retrieval.Passage, ref *spanRef) string {
	if ref == nil {
		return ""
	}
	return string([]rune(ps[ref.passage].Text)[ref.span.Start:ref.span.End])
}
