package corpus

import (
	"wenda/internal/golden"

	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"wenda/hanzi"
)

// Tests on the shipped articles: the real data every later stage sees.

// seedDir is where the raw seed files live, relative to this package, in a
// checkout that has them.
const seedDir = "../../shared/seeds"

func shipped(t *testing.T) map[string]Document {
	t.Helper()
	res, err := Load(Embedded(), Options{})
	if err != nil {
		t.Fatalf("load embedded corpus: %v", err)
	}
	if len(res.Problems) > 0 {
		t.Fatalf("embedded corpus has problems: %v", res.Problems)
	}
	docs := map[string]Document{}
	for _, d := range res.Documents {
		docs[d.ID] = d
	}
	return docs
}

func doc(t *testing.T, id string) Document {
	t.Helper()
	d, ok := shipped(t)[id]
	if !ok {
		t.Fatalf("no shipped document %q", id)
	}
	return d
}

func TestShippedMetadata(t *testing.T) {
	tests := []struct {
		id      string
		script  hanzi.Script
		format  Format
		date    string
		authors []string
		seed    string
	}{
		{"apec-forum-observations", hanzi.Simplified, FormatWeb, "", nil, "000_71f42c18d8ebb500.txt"},
		{"g2-busan-summit", hanzi.Traditional, FormatWeb, "2025-10-31", []string{"趙明昊"}, "001_4ca2d0f49d5d1fb0.txt"},
		{"madrid-talks-interview", hanzi.Traditional, FormatWeb, "2025-09", []string{"吳心伯"}, "002_e391f7a512885eb4.txt"},
		{"trump-return-new-stage", hanzi.Simplified, FormatMarkdown, "2026", []string{"吴心伯"}, "003_03f6596dd746e4d6.txt"},
		{"decoupling-misconceptions", hanzi.Simplified, FormatPDF, "2023", []string{"Rukmani Gupta"}, "004_39297881f7c6f5f0.txt"},
	}
	docs := shipped(t)
	if len(docs) != len(tests) {
		t.Errorf("shipped corpus has %d documents, want %d", len(docs), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			d, ok := docs[tt.id]
			if !ok {
				t.Fatalf("missing")
			}
			if strings.TrimSpace(d.Title) == "" {
				t.Error("empty title")
			}
			if d.Script != tt.script {
				t.Errorf("script %q, want %q", d.Script, tt.script)
			}
			if got := hanzi.Detect(d.Text); got != tt.script {
				t.Errorf("front matter says %q but the text reads as %q", tt.script, got)
			}
			if d.Format != tt.format {
				t.Errorf("format %q, want %q", d.Format, tt.format)
			}
			if d.Date != tt.date {
				t.Errorf("date %q, want %q", d.Date, tt.date)
			}
			if !reflect.DeepEqual(d.Authors, tt.authors) {
				t.Errorf("authors %q, want %q", d.Authors, tt.authors)
			}
			if d.Seed != tt.seed {
				t.Errorf("seed %q, want %q", d.Seed, tt.seed)
			}
			if len(d.Hash) != 64 || d.Path == "" {
				t.Errorf("hash %q path %q", d.Hash, d.Path)
			}
		})
	}
}

// TestShippedBodiesAreSeeds checks that each article's body after its front
// matter is the seed file byte for byte: the code cleans, nobody by hand.
func TestShippedBodiesAreSeeds(t *testing.T) {
	if _, err := os.Stat(seedDir); err != nil {
		t.Skipf("seed files not available at %s: %v", seedDir, err)
	}
	for id, d := range shipped(t) {
		t.Run(id, func(t *testing.T) {
			raw, err := fs.ReadFile(Embedded(), d.Path)
			if err != nil {
				t.Fatal(err)
			}
			_, body, err := splitFrontMatter(string(raw))
			if err != nil {
				t.Fatalf("no front matter: %v", err)
			}
			seed, err := os.ReadFile(filepath.Join(seedDir, d.Seed))
			if err != nil {
				t.Fatal(err)
			}
			if body != string(seed) {
				t.Errorf("body differs from seed %s", d.Seed)
			}
		})
	}
}

func TestShippedGolden(t *testing.T) {
	for id, d := range shipped(t) {
		t.Run(id, func(t *testing.T) {
			golden.Check(t, filepath.Join("testdata", id+".golden.txt"), d.Text+"\n")
			golden.Check(t, filepath.Join("testdata", id+".outline.golden.txt"), outline(d))
		})
	}
}

// outline renders a document's sections and notes for review.
func outline(d Document) string {
	var b strings.Builder
	fmt.Fprintf(&b, "title: %s\n\nsections:\n", d.Title)
	for _, s := range d.Sections {
		fmt.Fprintf(&b, "%6d  %s\n", s.Start, s.Heading)
	}
	b.WriteString("\nnotes:\n")
	for _, n := range d.Notes {
		fmt.Fprintf(&b, "[%s] %s\n", n.Label, n.Text)
	}
	return b.String()
}

func TestShippedTextShape(t *testing.T) {
	for id, d := range shipped(t) {
		t.Run(id, func(t *testing.T) {
			if d.Text != strings.TrimSpace(d.Text) {
				t.Error("text has leading or trailing white space")
			}
			for i, p := range strings.Split(d.Text, "\n\n") {
				if strings.TrimSpace(p) == "" || strings.Contains(p, "\n") {
					t.Errorf("paragraph %d is blank or holds a line break: %q", i, p)
				}
				if p != strings.TrimSpace(p) {
					t.Errorf("paragraph %d has surrounding spaces: %q", i, p)
				}
			}
			if strings.ContainsAny(d.Text, "\r\t\u200b\ufeff\u00a0") {
				t.Error("text holds control, zero-width or no-break characters")
			}
		})
	}
}

func TestShippedSectionOffsets(t *testing.T) {
	for id, d := range shipped(t) {
		t.Run(id, func(t *testing.T) {
			text := []rune(d.Text)
			prev := -1
			for _, s := range d.Sections {
				if s.Start <= prev || s.Start >= len(text) {
					t.Fatalf("section %q at %d out of order or range", s.Heading, s.Start)
				}
				if !strings.HasPrefix(string(text[s.Start:]), s.Heading) {
					t.Errorf("text at %d does not start with heading %q", s.Start, s.Heading)
				}
				if s.Start > 0 && string(text[s.Start-2:s.Start]) != "\n\n" {
					t.Errorf("heading %q does not start a paragraph", s.Heading)
				}
				prev = s.Start
			}
		})
	}
}

func TestWebPageLosesPortalChrome(t *testing.T) {
	d := doc(t, "apec-forum-observations")
	for _, junk := range []string{
		"河南一公司连续两年妇女节", "汪峰前妻", // trending headlines
		"网易首页", "申请入驻", "分享至", "相关推荐", "热点推荐", "头条要闻", "体育要闻",
		"特别声明", "Notice:", "无障碍浏览", "进入关怀版", "2026-03-07", "关注度", "下滑查看",
	} {
		if strings.Contains(d.Text, junk) {
			t.Errorf("cleaned text still contains %q", junk)
		}
	}
	for _, p := range strings.Split(d.Text, "\n\n") {
		if p == "0" {
			t.Error("the lone share count survived")
		}
	}
	// The article's last real paragraph, and its attribution line, stay.
	for _, keep := range []string{
		"这一困境也是多数国家及美国盟友的缩影——各国需在“选边站”和“战略自主”之间寻求艰难平衡。",
		"原文标题《双C论坛:APEC峰会后中美关系新观察》",
		"▲第五届双C论坛现场(中评社 邱姿爽摄)",
	} {
		if !strings.Contains(d.Text, keep) {
			t.Errorf("cleaned text lost %q", keep)
		}
	}
	if !strings.HasPrefix(d.Text, "APEC峰会后中美关系新观察\n\n11月2日下午") {
		t.Errorf("text does not open with the title and first paragraph: %.40q", d.Text)
	}
}

func TestInlineDateLifted(t *testing.T) {
	d := doc(t, "g2-busan-summit")
	if strings.Contains(d.Text, "date") || strings.Contains(d.Text, "2025-10-31") {
		t.Errorf("inline date left in the body: %.40q", d.Text)
	}
	if !strings.HasPrefix(d.Text, "當地時間10月30日") {
		t.Errorf("body does not start with the article: %.40q", d.Text)
	}
}

func TestPDFLosesPageFurniture(t *testing.T) {
	d := doc(t, "decoupling-misconceptions")
	header := regexp.MustCompile(`^Rukmani Gupta\s*[|｜]`)
	title := "长久以来的错误认知：对中美“脱钩”的批判性观点"
	for i, p := range strings.Split(d.Text, "\n\n") {
		if header.MatchString(p) {
			t.Errorf("paragraph %d is a running header: %q", i, p)
		}
		if i > 0 && p == title {
			t.Errorf("paragraph %d repeats the title", i)
		}
		for _, furniture := range []string{"Tel.", "Fax.", "Email.", "©", "封面图片"} {
			if strings.Contains(p, furniture) {
				t.Errorf("paragraph %d keeps %q: %q", i, furniture, p)
			}
		}
	}
	if n := strings.Count(d.Text, "显然都无能为力"); n != 1 {
		t.Errorf("the pull quote repeating the conclusion appears %d times, want once", n)
	}
}

func TestPDFParagraphsRejoined(t *testing.T) {
	d := doc(t, "decoupling-misconceptions")
	for _, joined := range []string{
		// a sentence wrapped at the margin
		"出现了关于中美关系“脱钩”的争论。",
		// a sentence split by a page break and the footnotes printed there
		"推进了新一轮对外直接投资（OFDI）。不出所料",
		// Latin words across a wrap keep their space; a hyphenated word does not get one
		"（the Institute for Defence Studies and Analyses）",
		"Non-Proliferation and Disarmament",
	} {
		if !strings.Contains(d.Text, joined) {
			t.Errorf("text lacks %q", joined)
		}
	}
	for _, footnote := range []string{"请参见：Michael Heath", "https://", "Bloomberg，2021年4月16日"} {
		if strings.Contains(d.Body(), footnote) {
			t.Errorf("footnote text %q is in the body", footnote)
		}
	}
}

func TestPDFFootnotesToNotes(t *testing.T) {
	d := doc(t, "decoupling-misconceptions")
	if len(d.Notes) != 38 {
		t.Fatalf("%d notes, want the 38 footnotes", len(d.Notes))
	}
	for i, n := range d.Notes {
		if n.Label != fmt.Sprint(i+1) {
			t.Errorf("note %d labelled %q", i, n.Label)
		}
	}
	if !strings.HasPrefix(d.Notes[12].Text, "2021年发布了新的负面清单") {
		t.Errorf("note 13 = %.40q; a note starting with a year keeps it", d.Notes[12].Text)
	}
	// Markers after sentences are gone, the numbers of the text are not.
	for _, s := range []string{"有所反弹。2021 年由《环球时报》", "选边站队有关。Edward Luttwak", "美国 2021 年对中国的出口比 2020 年增长了 21.4%"} {
		if !strings.Contains(d.Text, s) {
			t.Errorf("text lacks %q", s)
		}
	}
	if m := regexp.MustCompile(`。\d{1,2}(?:\s|$)`).FindString(d.Body()); m != "" {
		t.Errorf("a footnote marker is left: %q", m)
	}
}

func TestMarkdownFootnotesToNotes(t *testing.T) {
	d := doc(t, "trump-return-new-stage")
	for _, markup := range []string{"<sup>", "</sup>", "[1]", "\\*", "\\_", "---", "#", "](", "【责任编辑"} {
		if strings.Contains(d.Body(), markup) {
			t.Errorf("body keeps %q", markup)
		}
	}
	raw, err := fs.ReadFile(Embedded(), d.Path)
	if err != nil {
		t.Fatal(err)
	}
	defs := regexp.MustCompile(`(?m)^(?:\[\d+\]|\\\*) `).FindAllString(string(raw), -1)
	if len(d.Notes) != len(defs) || len(defs) == 0 {
		t.Fatalf("%d notes, want the %d footnote definitions", len(d.Notes), len(defs))
	}
	if d.Notes[0].Label != "*" || !strings.HasPrefix(d.Notes[0].Text, "本文是国家社会科学基金资助项目的成果") {
		t.Errorf("first note = %+v", d.Notes[0])
	}
	for _, n := range d.Notes {
		if strings.Contains(n.Text, "](") || strings.Contains(n.Text, "\\_") {
			t.Errorf("note %s keeps link markup: %q", n.Label, n.Text)
		}
	}
	// Paragraphs split by a page break and its footnotes are whole again.
	for _, s := range []string{"两国关系走向，也在中美关系整个转型期", "达成的广泛共识意味着", "但低估了中方奋起反抗的决心，更未预料到"} {
		if !strings.Contains(d.Text, s) {
			t.Errorf("text lacks %q", s)
		}
	}
	wantSections := []string{"特朗普归来与中美博弈的新阶段", "一、从激烈交锋到软着陆", "二、特朗普第二任期对华政策走向", "三、中国对美博弈亮点纷呈", "四、2026年中美关系能否稳中有进？", "注释"}
	var got []string
	for _, s := range d.Sections {
		got = append(got, s.Heading)
	}
	if !reflect.DeepEqual(got, wantSections) {
		t.Errorf("sections %q, want %q", got, wantSections)
	}
}

func TestLoadIsDeterministic(t *testing.T) {
	a, err := Load(Embedded(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load(Embedded(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("two loads of the same corpus differ")
	}
	for i := 1; i < len(a.Documents); i++ {
		if a.Documents[i-1].Path >= a.Documents[i].Path {
			t.Errorf("documents not in path order: %s before %s", a.Documents[i-1].Path, a.Documents[i].Path)
		}
	}
}

func TestDetectFormatOfSeeds(t *testing.T) {
	tests := []struct {
		id   string
		name string
		want Format
	}{
		{"apec-forum-observations", "page.txt", FormatWeb},
		{"g2-busan-summit", "page.txt", FormatPlain},
		{"madrid-talks-interview", "page.txt", FormatPlain},
		{"trump-return-new-stage", "paper.txt", FormatMarkdown},
		{"trump-return-new-stage", "paper.md", FormatMarkdown},
		{"decoupling-misconceptions", "report.txt", FormatPDF},
	}
	for _, tt := range tests {
		t.Run(tt.id+"/"+tt.name, func(t *testing.T) {
			raw, err := fs.ReadFile(Embedded(), doc(t, tt.id).Path)
			if err != nil {
				t.Fatal(err)
			}
			_, body, _ := splitFrontMatter(string(raw))
			if got := DetectFormat(tt.name, body); got != tt.want {
				t.Errorf("DetectFormat = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNotesAreAppendedAsASection(t *testing.T) {
	for _, id := range []string{"decoupling-misconceptions", "trump-return-new-stage"} {
		d := doc(t, id)
		last := d.Sections[len(d.Sections)-1]
		if last.Heading != "注释" || last.Start <= d.BodyEnd-1 {
			t.Fatalf("%s: last section %+v, body ends at %d", id, last, d.BodyEnd)
		}
		notes := string([]rune(d.Text)[last.Start:])
		for _, n := range d.Notes {
			if !strings.Contains(notes, n.Text) {
				t.Errorf("%s: note %s missing from the notes section", id, n.Label)
			}
			if strings.Contains(d.Body(), n.Text) && len([]rune(n.Text)) > 30 {
				t.Errorf("%s: note %s is in the body", id, n.Label)
			}
		}
	}
	if d := doc(t, "g2-busan-summit"); d.Body() != d.Text || len(d.Notes) != 0 {
		t.Errorf("a document without notes changed: %d notes", len(d.Notes))
	}
}
