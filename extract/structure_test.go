package extract

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Structure the test files made by LibreOffice do not show: how Word
// itself writes heading styles, decks built from plain text boxes, and
// web pages in a legacy encoding. The parts are written here the way those
// producers write them (element and attribute names as in their files).

func ooxmlZip(t *testing.T, parts map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, data := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(data))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const wNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`

// TestDOCXWordStyles: Word names its heading styles "heading 1" but gives
// them ids such as "1" or "2" in a Chinese installation; a style based on
// a heading is a heading; deleted text and field codes are not text.
func TestDOCXWordStyles(t *testing.T) {
	styles := `<w:styles ` + wNS + `>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style>
<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="标题 2"/></w:style>
<w:style w:type="paragraph" w:styleId="MyHead"><w:name w:val="My Head"/><w:basedOn w:val="1"/></w:style>
<w:style w:type="paragraph" w:styleId="a"><w:name w:val="Normal"/></w:style>
</w:styles>`
	p := func(style, text string) string {
		return `<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
	}
	doc := `<w:document ` + wNS + `><w:body>` +
		p("1", "第一章 总则") + p("a", "本规定适用于全体员工。") + p("a5", "适用范围") + p("MyHead", "附则") +
		`<w:p><w:r><w:t>保留的文字</w:t></w:r><w:r><w:delText>删除的文字</w:delText></w:r><w:r><w:instrText>PAGE</w:instrText></w:r></w:p>` +
		`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>项目</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>金额</w:t></w:r></w:p></w:tc></w:tr>` +
		`<w:tr><w:tc><w:p><w:r><w:t>差旅</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1200元</w:t></w:r></w:p></w:tc></w:tr></w:tbl>` +
		`</w:body></w:document>`
	c, err := readDOCX(ooxmlZip(t, map[string]string{"word/document.xml": doc, "word/styles.xml": styles}), Limits{}.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	want := []Block{
		{Kind: Heading, Level: 1, Text: "第一章 总则"},
		{Kind: Paragraph, Text: "本规定适用于全体员工。"},
		{Kind: Heading, Level: 2, Text: "适用范围"},
		{Kind: Heading, Level: 1, Text: "附则"},
		{Kind: Paragraph, Text: "保留的文字"},
		{Kind: Paragraph, Text: "项目：差旅；金额：1200元。"},
	}
	if len(c.Blocks) != len(want) {
		t.Fatalf("blocks %+v, want %+v", c.Blocks, want)
	}
	for i := range want {
		if c.Blocks[i] != want[i] {
			t.Errorf("block %d = %+v, want %+v", i, c.Blocks[i], want[i])
		}
	}
}

// TestDOCXListNumbering: Word writes a list's numbers in numbering.xml,
// not in the text; the reader writes each numbered paragraph's label as
// the page shows it. Levels count apart and a level restarts under a new
// item above it; a list's start and an instance's start override hold;
// numId 0 takes a style's numbering away; a bullet is written •.
func TestDOCXListNumbering(t *testing.T) {
	numbering := `<w:numbering ` + wNS + `>
<w:abstractNum w:abstractNumId="0">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%1）"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="2">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val=""/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="3">
 <w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%1"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="4">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1章"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="6"><w:abstractNumId w:val="4"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="3"/></w:num>
<w:num w:numId="5"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
</w:numbering>`
	styles := `<w:styles ` + wNS + `>
<w:style w:type="paragraph" w:styleId="ListNumber"><w:name w:val="List Number"/><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>
</w:styles>`
	num := func(numID, ilvl int, text string) string {
		return fmt.Sprintf(`<w:p><w:pPr><w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%d"/></w:numPr></w:pPr><w:r><w:t>%s</w:t></w:r></w:p>`, ilvl, numID, text)
	}
	styled := func(extra, text string) string {
		return `<w:p><w:pPr><w:pStyle w:val="ListNumber"/>` + extra + `</w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
	}
	doc := `<w:document ` + wNS + `><w:body>` +
		num(1, 0, "总则") + num(1, 1, "适用范围") + num(1, 1, "定义") + num(1, 0, "职责") + num(1, 1, "部门职责") +
		styled("", "坚持平等相待") + styled("", "尊重合理关切") + styled(`<w:numPr><w:numId w:val="0"/></w:numPr>`, "不再编号的段落") +
		num(3, 0, "要点") + num(4, 0, "第三项") + num(4, 0, "第四项") + num(5, 0, "续前") + num(6, 0, "附则") +
		`</w:body></w:document>`
	c, err := readDOCX(ooxmlZip(t, map[string]string{"word/document.xml": doc, "word/styles.xml": styles, "word/numbering.xml": numbering}), Limits{}.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range c.Blocks {
		got = append(got, b.Text)
	}
	want := []string{
		"1. 总则", "1.1 适用范围", "1.2 定义", "2. 职责", "2.1 部门职责",
		"（一）坚持平等相待", "（二）尊重合理关切", "不再编号的段落",
		"• 要点", "③ 第三项", "④ 第四项", "（五）续前", "第一章 附则",
	}
	if !slices.Equal(got, want) {
		t.Errorf("paragraphs\n%q\nwant\n%q", got, want)
	}
}

// TestHTMLOrderedList: a browser numbers an ordered list's items; the
// reader writes the numbers it shows, from the list's start, an item's
// value and the list's type, and an unordered list's bullets.
func TestHTMLOrderedList(t *testing.T) {
	page := `<html><head><title>会谈要点</title></head><body><article>
<p>从这一段时间的中美经贸谈判可以看出，中美打交道想要取得积极和建设性的成果，有几个要素是必不可少的：</p>
<ol><li>要平等相待。</li><li>双方要尊重对方的合理利益关切。</li><li>还需不断建立政治互信。</li></ol>
<ol start="4"><li>要顺利推进元首会晤。</li><li value="7">第七项。</li><li>第八项。</li></ol>
<ol type="a"><li>甲项内容。</li><li>乙项内容。</li></ol>
<ul><li>没有编号的一项。</li></ul>
</article></body></html>`
	c, err := testExtractor(t).Extract(context.Background(), "page.html", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range c.Blocks[1:] {
		got = append(got, b.Text)
	}
	want := []string{"1. 要平等相待。", "2. 双方要尊重对方的合理利益关切。", "3. 还需不断建立政治互信。",
		"4. 要顺利推进元首会晤。", "7. 第七项。", "8. 第八项。", "a. 甲项内容。", "b. 乙项内容。", "• 没有编号的一项。"}
	if !slices.Equal(got, want) {
		t.Errorf("items\n%q\nwant\n%q", got, want)
	}
}

// TestPPTXTextBoxes: a slide made of text boxes has no title placeholder;
// its short first line stands for the title. Slide numbers are layout.
func TestPPTXTextBoxes(t *testing.T) {
	const ns = `xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	box := func(text string) string {
		return `<p:sp><p:nvSpPr><p:cNvPr id="2" name="TextBox"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:txBody><a:p><a:r><a:t>` + text + `</a:t></a:r></a:p></p:txBody></p:sp>`
	}
	num := `<p:sp><p:nvSpPr><p:cNvPr id="3" name="Num"/><p:cNvSpPr/><p:nvPr><p:ph type="sldNum"/></p:nvPr></p:nvSpPr><p:txBody><a:p><a:fld type="slidenum"><a:t>2</a:t></a:fld></a:p></p:txBody></p:sp>`
	slide := func(shapes string) string {
		return `<p:sld ` + ns + `><p:cSld><p:spTree>` + shapes + `</p:spTree></p:cSld></p:sld>`
	}
	raw := ooxmlZip(t, map[string]string{
		"ppt/presentation.xml":            `<p:presentation ` + ns + `><p:sldIdLst><p:sldId id="257" r:id="rId3"/><p:sldId id="256" r:id="rId2"/></p:sldIdLst></p:presentation>`,
		"ppt/_rels/presentation.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="slide" Target="slides/slide1.xml"/><Relationship Id="rId3" Type="slide" Target="/ppt/slides/slide2.xml"/></Relationships>`,
		"ppt/slides/slide1.xml":           slide(box("市场回顾") + box("销售额同比增长12%，利润率保持稳定。") + num),
		"ppt/slides/slide2.xml":           slide(box("这是第一张幻灯片上的一句完整的话，它不是标题。")),
	})
	c, err := readPPTX(raw, Limits{}.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	want := []Block{
		{Kind: Paragraph, Text: "这是第一张幻灯片上的一句完整的话，它不是标题。", Page: 1},
		{Kind: Heading, Level: 2, Text: "市场回顾", Page: 2},
		{Kind: Paragraph, Text: "销售额同比增长12%，利润率保持稳定。", Page: 2},
	}
	if len(c.Blocks) != len(want) || c.PageCount != 2 {
		t.Fatalf("blocks %+v (pages %d), want %+v", c.Blocks, c.PageCount, want)
	}
	for i := range want {
		if c.Blocks[i] != want[i] {
			t.Errorf("block %d = %+v, want %+v", i, c.Blocks[i], want[i])
		}
	}
}

// TestPPTXListMarks: a slide's paragraphs carry the marks their
// properties give them: a bullet (a:buChar) as •, an automatic number
// (a:buAutoNum, from its startAt, counted over the paragraphs that follow
// one another) as PowerPoint draws it; a:buNone and a title carry none.
func TestPPTXListMarks(t *testing.T) {
	const ns = `xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	para := func(pPr, text string) string {
		return `<a:p><a:pPr>` + pPr + `</a:pPr><a:r><a:t>` + text + `</a:t></a:r></a:p>`
	}
	shape := func(ph, paras string) string {
		return `<p:sp><p:nvSpPr><p:cNvPr id="2" name="S"/><p:cNvSpPr/><p:nvPr>` + ph + `</p:nvPr></p:nvSpPr><p:txBody>` + paras + `</p:txBody></p:sp>`
	}
	slide := `<p:sld ` + ns + `><p:cSld><p:spTree>` +
		shape(`<p:ph type="title"/>`, para(`<a:buNone/>`, "会谈要点")) +
		shape(`<p:ph idx="1"/>`, para(`<a:buNone/>`, "有几个要素是必不可少的：")+
			para(`<a:buAutoNum type="arabicPeriod"/>`, "平等相待")+
			para(`<a:buAutoNum type="arabicPeriod"/>`, "尊重对方的合理利益关切")+
			para(`<a:buChar char="&#61623;"/>`, "补充说明")+
			para(`<a:buAutoNum type="ea1ChsPeriod" startAt="3"/>`, "不断建立政治互信")+
			para(`<a:buAutoNum type="circleNumDbPlain"/>`, "增加互动")) +
		`</p:spTree></p:cSld></p:sld>`
	raw := ooxmlZip(t, map[string]string{
		"ppt/presentation.xml":            `<p:presentation ` + ns + `><p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst></p:presentation>`,
		"ppt/_rels/presentation.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="slide" Target="slides/slide1.xml"/></Relationships>`,
		"ppt/slides/slide1.xml":           slide,
	})
	c, err := readPPTX(raw, Limits{}.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range c.Blocks {
		got = append(got, b.Text)
	}
	want := []string{"会谈要点", "有几个要素是必不可少的：", "1. 平等相待", "2. 尊重对方的合理利益关切", "• 补充说明", "三．不断建立政治互信", "① 增加互动"}
	if !slices.Equal(got, want) {
		t.Errorf("paragraphs\n%q\nwant\n%q", got, want)
	}
}

// TestHTMLLegacyEncodings: Chinese portals still serve GBK pages, with and
// without saying so.
func TestHTMLLegacyEncodings(t *testing.T) {
	body := "<p>" + strings.Repeat("中国国家统计局今日发布数据，上半年国内生产总值同比增长百分之五。", 4) + "</p>"
	for _, tc := range []struct{ name, head string }{
		{"declared", `<meta charset="gbk">`},
		{"declared the old way", `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`},
		{"undeclared", ``},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := "<html><head>" + tc.head + "<title>统计数据</title></head><body><article>" + body + "</article></body></html>"
			raw, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(page))
			if err != nil {
				t.Fatal(err)
			}
			c, err := testExtractor(t).Extract(context.Background(), "page.html", raw)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Blocks) == 0 || !strings.Contains(c.Blocks[0].Text, "国内生产总值同比增长") || c.Meta.Title != "统计数据" {
				t.Errorf("title %q, blocks %+v", c.Meta.Title, c.Blocks)
			}
		})
	}
}

// TestHTMLDates: where pages state their publication date.
func TestHTMLDates(t *testing.T) {
	article := "<article><h1>标题</h1><p>" + strings.Repeat("正文的一句话，讲述事件的经过和各方的反应。", 6) + "</p></article>"
	for _, tc := range []struct{ name, head, want string }{
		{"article meta", `<meta property="article:published_time" content="2024-06-18T08:30:00+08:00">`, "2024-06-18"},
		{"pubdate meta", `<meta name="pubdate" content="2023/5/7 10:00">`, "2023-05-07"},
		{"json-ld", `<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2022-01-31T12:00:00Z"}</script>`, "2022-01-31"},
		{"portal script", `<script>var ARTICLE_INFO = {title: '标题', pubtime: '2016年10月14日07:17'};</script>`, "2016-10-14"},
		{"none", ``, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := "<html><head><title>标题_频道_网站</title>" + tc.head + "</head><body>" + article + "</body></html>"
			c, err := readHTML([]byte(page), Limits{}.withDefaults())
			if err != nil {
				t.Fatal(err)
			}
			if c.Meta.Date != tc.want || c.Meta.Title != "标题" {
				t.Errorf("date %q title %q, want %q and 标题", c.Meta.Date, c.Meta.Title, tc.want)
			}
		})
	}
}
