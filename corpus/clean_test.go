package corpus

import (
	"reflect"
	"strings"
	"testing"
)

// Unit tests of single cleaning rules on small made-up inputs: each case is
// a situation the real articles do not happen to show.

func paragraphs(c Cleaned) []string { return strings.Split(c.Text, "\n\n") }

func TestNormalize(t *testing.T) {
	c := Clean("\uFEFF第一段\u200b文字。  \r\n\r\n\r\n \t \r\n第二段&nbsp;文字\x07。\r旧式换行。", FormatPlain)
	want := []string{"第一段文字。", "第二段 文字。", "旧式换行。"}
	if got := paragraphs(c); !reflect.DeepEqual(got, want) {
		t.Errorf("paragraphs %q, want %q", got, want)
	}
}

func TestJoinWrapped(t *testing.T) {
	tests := []struct {
		a, b   string
		spaced bool
		want   string
	}{
		{"中美关系“脱钩”的", "争论。", false, "中美关系“脱钩”的争论。"},
		{"推进了新一轮对外直接", "投资", true, "推进了新一轮对外直接投资"},
		{"Peterson Institute for", "International Economics", false, "Peterson Institute for International Economics"},
		{"Nuclear Non-", "Proliferation", false, "Nuclear Non-Proliferation"},
		{"https://www.customs.gov.cn//c", "ustoms/302249", false, "https://www.customs.gov.cn//customs/302249"},
		{"https://harvardpress.typepad.com/hup", "publicity", true, "https://harvardpress.typepad.com/hup publicity"},
		{"McLaughlin,", "“Obama Blocks", true, "McLaughlin, “Obama Blocks"},
		{"简称", "APLN）", false, "简称APLN）"},
		{"", "开头", false, "开头"},
	}
	for _, tt := range tests {
		if got := joinWrapped(tt.a, tt.b, tt.spaced); got != tt.want {
			t.Errorf("joinWrapped(%q, %q, %v) = %q, want %q", tt.a, tt.b, tt.spaced, got, tt.want)
		}
	}
}

func TestWrapJoinerKeepsURLsWhole(t *testing.T) {
	var j wrapJoiner
	for _, piece := range []string{"博鳌亚洲论坛，https://www.boaoforum.or", "g/ljnh/ac2022/html/detail_1_", "501.html。Latin", "words"} {
		j.add(piece, false)
	}
	if want := "博鳌亚洲论坛，https://www.boaoforum.org/ljnh/ac2022/html/detail_1_501.html。Latin words"; j.String() != want {
		t.Errorf("got %q, want %q", j.String(), want)
	}
}

func TestEndsSentence(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"这是一句话。", true},
		{"他说：“好。”", true},
		{"产生的影响。12", true},
		{"增长了 32.7%。 ", true},
		{"出现了关于中美关系“脱钩”的", false},
		{"数额为 5064", false},
		{"Global Times,", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := endsSentence(tt.s); got != tt.want {
			t.Errorf("endsSentence(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestFootnoteStart(t *testing.T) {
	tests := []struct {
		s        string
		next     int
		wantN    int
		wantText string
		ok       bool
	}{
		{"1 请参见：Michael Heath", 1, 1, "请参见：Michael Heath", true},
		{"13 2021年发布了新的负面清单", 13, 13, "2021年发布了新的负面清单", true},
		{"31习近平主席提交的报告指出", 31, 31, "习近平主席提交的报告指出", true},
		{"6 Shen Weiduo", 5, 6, "Shen Weiduo", true}, // note 5 lost in extraction
		{"2021 年对华出口额扩大至 1511 亿美元。", 4, 0, "", false},
		{"3 月，美方宣布", 3, 0, "", false},
		{"53.2%的参与者对美国军方持负面看法", 32, 0, "", false},
		{"7 在 IT 硬件方面", 9, 0, "", false}, // not the next number
		{"正文", 1, 0, "", false},
	}
	for _, tt := range tests {
		n, text, ok := footnoteStart(tt.s, tt.next)
		if ok != tt.ok || n != tt.wantN || text != tt.wantText {
			t.Errorf("footnoteStart(%q, %d) = %d, %q, %v", tt.s, tt.next, n, text, ok)
		}
	}
}

func TestRemoveNoteMarkers(t *testing.T) {
	tests := []struct {
		name   string
		labels []string
		in     []string
		want   []string
	}{
		{"markers in order", []string{"1", "2"},
			[]string{"产生的影响。1", "出现了破裂。2 美国政府贸易数据显示"},
			[]string{"产生的影响。", "出现了破裂。美国政府贸易数据显示"}},
		{"a year after a marker stays", []string{"33"},
			[]string{"有所反弹。33 2021 年由《环球时报》进行"},
			[]string{"有所反弹。2021 年由《环球时报》进行"}},
		{"numbers that are not markers stay", []string{"1", "2"},
			[]string{"增长了 21.4%。2021 年，美国增长 1 倍", "下降 2%。2 个月后"},
			[]string{"增长了 21.4%。2021 年，美国增长 1 倍", "下降 2%。2 个月后"}},
		{"each marker is taken once", []string{"5"},
			[]string{"贸易增长。5 根据这一数据。5 次"},
			[]string{"贸易增长。根据这一数据。5 次"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &cleaner{}
			for _, l := range tt.labels {
				c.notes = append(c.notes, Note{Label: l})
			}
			ps := make([]para, len(tt.in))
			for i, s := range tt.in {
				ps[i].text = s
			}
			c.removeNoteMarkers(ps)
			for i := range ps {
				if ps[i].text != tt.want[i] {
					t.Errorf("paragraph %d = %q, want %q", i, ps[i].text, tt.want[i])
				}
			}
		})
	}
}

func TestCleanPDF(t *testing.T) {
	// Blank lines between paragraphs only, a running header and page
	// numbers, and a footnote splitting a sentence across a page break.
	page := strings.Join([]string{
		"报告标题",
		"",
		"第一段的文字很长很长很长很长很长很长很长很长很长很长很长很长很长很长",
		"继续第一段，到这里结束。1",
		"1 作者的访谈，2022年5月。",
		"- 1 -",
		"作者 | 报告标题",
		"第二段的文字也很长很长很长很长很长很长很长很长很长很长很长很长很长很长",
		"2",
		"作者 | 报告标题",
		"跨页之后接着写完。",
		"3",
		"作者 | 报告标题",
		"",
		"结论",
		"",
		"最后一段。",
	}, "\n")
	c := Clean(page, FormatPDF)
	want := []string{
		"报告标题",
		"第一段的文字很长很长很长很长很长很长很长很长很长很长很长很长很长很长继续第一段，到这里结束。",
		"第二段的文字也很长很长很长很长很长很长很长很长很长很长很长很长很长很长跨页之后接着写完。",
		"结论",
		"最后一段。",
	}
	if got := paragraphs(c); !reflect.DeepEqual(got, want) {
		t.Errorf("paragraphs:\n%q\nwant\n%q", got, want)
	}
	if len(c.Notes) != 1 || c.Notes[0].Text != "作者的访谈，2022年5月。" {
		t.Errorf("notes %+v", c.Notes)
	}
	if len(c.Sections) != 2 || c.Sections[1].Heading != "结论" {
		t.Errorf("sections %+v", c.Sections)
	}
}

func TestCleanWeb(t *testing.T) {
	body := strings.Repeat("这是文章的正文，讲的是中美关系的变化。", 8)
	tests := []struct {
		name string
		page string
		want []string
	}{
		{"chrome around the article",
			"首页 > 新闻 > 正文\n标题\n12\n分享至 举报\n" + body + "\n相关阅读\n另一篇文章的标题\n",
			[]string{"标题", body}},
		{"a list of timestamped headlines without a heading",
			"标题\n" + body + "\n某地发生了一件新鲜事\n某媒体\n2026-03-07 20:45:42\n又一条热门新闻标题！\n某作者\n2026-03-08 07:44:49\n",
			[]string{"标题", body}},
		{"a recommendation heading above the article does not cut it",
			"相关推荐\n标题\n" + body + "\n最后一句话。\n",
			[]string{"标题", body, "最后一句话。"}},
		{"a traditional-script notice",
			"標題\n" + body + "\n特別聲明：以上內容為用戶上傳。\n",
			[]string{"標題", body}},
		{"subheadings and statements inside the article stay",
			"标题\n" + body + "\n两大热点\n声明：双方同意继续谈判。\n文章的最后一段。\n",
			[]string{"标题", body, "两大热点", "声明：双方同意继续谈判。", "文章的最后一段。"}},
		{"publication time under the title becomes the date",
			"标题\n2025-11-05 10:23:11\n" + body + "\n",
			[]string{"标题", body}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := paragraphs(Clean(tt.page, FormatWeb)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("paragraphs:\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
	if c := Clean("标题\n2025-11-05 10:23:11\n"+body, FormatWeb); c.Date != "2025-11-05" {
		t.Errorf("date %q", c.Date)
	}
}

func TestCleanMarkdown(t *testing.T) {
	md := strings.Join([]string{
		"Paper Title",
		"===========",
		"",
		"正文引用了一份报告[^a]，面积为 5 m<sup>2</sup>，参见[官网](https://example.org)。",
		"这一行是软换行。",
		"",
		"- 列表项",
		"",
		"有几个要素是必不可少的：",
		"1. 平等相待",
		"2. 尊重对方的合理利益关切，",
		"   不断建立政治互信",
		"",
		"> 引文一句。",
		"",
		"## （一）小节",
		"",
		"Latin words wrap",
		"onto the next line.",
		"",
		"***",
		"",
		"[^a]: 报告全文见 [链接](https://example.org/report)。",
	}, "\n")
	c := Clean(md, FormatMarkdown)
	want := []string{
		"Paper Title",
		"正文引用了一份报告，面积为 5 m2，参见官网。这一行是软换行。",
		"- 列表项",
		"有几个要素是必不可少的：",
		"1. 平等相待",
		"2. 尊重对方的合理利益关切，不断建立政治互信",
		"引文一句。",
		"（一）小节",
		"Latin words wrap onto the next line.",
	}
	if got := paragraphs(c); !reflect.DeepEqual(got, want) {
		t.Errorf("paragraphs:\n%q\nwant\n%q", got, want)
	}
	if len(c.Notes) != 1 || c.Notes[0].Label != "a" || c.Notes[0].Text != "报告全文见 链接 https://example.org/report。" {
		t.Errorf("notes %+v", c.Notes)
	}
	if len(c.Sections) != 2 || c.Sections[0].Heading != "Paper Title" || c.Sections[1].Heading != "（一）小节" {
		t.Errorf("sections %+v", c.Sections)
	}
}

func TestChineseHeadings(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"一、从激烈交锋到软着陆", true},
		{"（二）经贸关系", true},
		{"第三章 结论", true},
		{"一是两国重视从各自的内政目标出发", false},
		{"一、加强合作，扩大交流。", false},
		{"2025年，中美关系的演变经历了三个阶段", false},
	}
	for _, tt := range tests {
		if got := isChineseHeading(tt.s); got != tt.want {
			t.Errorf("isChineseHeading(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestInlineMetadata(t *testing.T) {
	tests := []struct {
		name, body string
		date       string
		authors    []string
		text       string
	}{
		{"scraper date field", " date 2025-10-31 當地時間10月30日，會晤舉行。", "2025-10-31", nil, "當地時間10月30日，會晤舉行。"},
		{"journal byline", "标题\n\n□ 吴心伯\n\n正文。", "", []string{"吴心伯"}, "标题\n\n正文。"},
		{"slash byline", "文/张三 李四\n正文。", "", []string{"张三", "李四"}, "正文。"},
		{"a sentence starting with By stays", "By 2030, China may lead.", "", nil, "By 2030, China may lead."},
		{"editors' credit dropped", "正文。\n【责任编辑：王某】\n（编辑：李某）", "", nil, "正文。"},
		{"a date deep in the text stays", "一\n二\n三\n四\n五\n六\n日期：2020年1月2日 正文。", "", nil, "一\n\n二\n\n三\n\n四\n\n五\n\n六\n\n日期：2020年1月2日 正文。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Clean(tt.body, FormatPlain)
			if c.Date != tt.date || !reflect.DeepEqual(c.Authors, tt.authors) || c.Text != tt.text {
				t.Errorf("got date %q authors %q text %q", c.Date, c.Authors, c.Text)
			}
		})
	}
}

func TestDropRepeats(t *testing.T) {
	c := Clean("这是一段足够长的正文，其中有一句会被引用的话。\n其中有一句会被引用的话。但不是全部。\n这是一段足够长的正文\n短句\n短句", FormatPlain)
	want := []string{"这是一段足够长的正文，其中有一句会被引用的话。", "其中有一句会被引用的话。但不是全部。", "这是一段足够长的正文", "短句", "短句"}
	if got := paragraphs(c); !reflect.DeepEqual(got, want) {
		t.Errorf("paragraphs %q, want %q", got, want)
	}
	c = Clean("一段很长很长的正文，讲了一件很重要的事情，而且讲得很清楚。\n讲了一件很重要的事情，而且讲得很清楚。", FormatPDF)
	if got := paragraphs(c); len(got) != 1 {
		t.Errorf("pull quote kept: %q", got)
	}
}
