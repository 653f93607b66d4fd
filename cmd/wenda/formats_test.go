package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"wenda/hanzi"
)

// TestFormatsEndToEnd indexes the folder of test files — one file of each
// format, made by the real tools users' files come from (LibreOffice,
// Chromium, ReportLab, iconv…; extract/testdata/make_fixtures.py says how)
// plus files that must be refused — as a new user would, with
// `wenda ingest --corpus`, then asks one question per file whose answer
// only that file holds. The questions are the reading-comprehension data
// sets' own (DRCD, CMRC 2018) for the articles the files were made from,
// and for the Word file of lists a question about the points of one (its
// items are only numbered by Word).
func TestFormatsEndToEnd(t *testing.T) {
	corpusDir, err := filepath.Abs("../../extract/testdata/files")
	if err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	env := func(k string) string {
		if k == "WENDA_CACHE_DIR" { // the PDF engine compiled once for every test run
			return filepath.Join(os.TempDir(), "wenda-test-pdfium-cache")
		}
		return ""
	}
	run := func(args ...string) (string, string) {
		t.Helper()
		var out, errOut strings.Builder
		if code := Main(context.Background(), args, &out, &errOut, env); code != 0 {
			t.Fatalf("wenda %s: exit %d\n%s", strings.Join(args, " "), code, errOut.String())
		}
		return out.String(), errOut.String()
	}

	out, log := run("ingest", "--corpus", corpusDir, "--data", data)
	if !strings.Contains(out, "indexed 13 documents") {
		t.Errorf("ingest: %s", out)
	}
	for _, skipped := range []string{
		`path=scanned.pdf reason="no text layer: scanned PDF, OCR is not supported"`,
		`path=encrypted.pdf reason="encrypted: the PDF needs a password to open"`,
		`path=photo.png reason="unsupported type: an image (PNG)`,
		`path=bundle.zip reason="unsupported type: a ZIP archive`,
	} {
		if !strings.Contains(log, skipped) {
			t.Errorf("ingest did not report %s:\n%s", skipped, log)
		}
	}

	for _, tc := range []struct {
		doc, question, fact string
		page                int // 0: the format has no pages
	}{
		{"report-zh-hant", "恆星中不同元素被電離的比率可以從其哪一物理量確定？", "溫度", 3},
		{"report-zh-hant", "恆星的哪一部分是觀測者可見的？", "光球層", 4},
		{"report-zh-hans", "2012年6月5日，國家文物局宣布，中國歷代長城總長度為多少?", "21196.18", 1},
		{"report-zh-hans", "長城體系中設置有大量烽燧作為情報傳遞系統，也就是用什麼方式傳遞重要消息的高台?", "点燃烟火", 2},
		{"web-print", "恆豐路橋在哪一年完成改建?", "1987", 2},
		{"notice-cid", "《千年女王》漫画是谁创作的？", "松本零士", 1},
		{"galileo", "伽利略最先發現了木星的衛星，並在哪本著作中做了詳細介紹?", "星際信使", 0},
		{"talks-lists", "中美打交道想要取得成果，有哪些要素是必不可少的？", "尊重對方的合理利益關切", 0},
		{"pearl-harbor", "珍珠港事件發生於何時?", "國恥演說", 3},
		{"qing-provinces", "湖廣在哪一年分為湖北、湖南二省？", "康熙三年", 0},
		{"news", "《越南亡国史》的作者是谁？", "潘佩珠", 0},
		{"conciergerie-gbk", "古监狱保存了几座中世纪的塔楼？", "3座", 0},
		{"rwanda-big5", "盧安達的國土面積於世界排名中位居第幾位?", "第149位", 0},
		{"blue-horde-utf16", "蓝帐汗国形成于什么时候？", "1227年", 0},
		{"dirac-bom", "狄拉克於何年提出了大數假說?", "1937年", 0},
	} {
		t.Run(tc.doc+"/"+tc.fact, func(t *testing.T) {
			out, _ := run("ask", "--json", "--corpus", corpusDir, "--data", data, tc.question)
			var a struct {
				Answerable bool   `json:"answerable"`
				Text       string `json:"text"`
				Citations  []struct {
					DocID    string `json:"doc_id"`
					Quote    string `json:"quote"`
					Page     int    `json:"page"`
					Start    int    `json:"start"`
					Evidence []struct {
						Start, End int
					} `json:"evidence"`
				} `json:"citations"`
			}
			if err := json.Unmarshal([]byte(out), &a); err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			if !a.Answerable || len(a.Citations) == 0 {
				t.Fatalf("no answer: %s", out)
			}
			// The answer comes in the question's script, quotes in the
			// file's: facts are compared folded.
			fact := hanzi.Fold(tc.fact)
			if !strings.Contains(hanzi.Fold(a.Text), fact) {
				t.Fatalf("answer %q does not state %q", a.Text, tc.fact)
			}
			for _, c := range a.Citations {
				if c.DocID == tc.doc && strings.Contains(hanzi.Fold(c.Quote), fact) {
					if c.Page != tc.page {
						t.Errorf("citation of %s on page %d, want %d", c.DocID, c.Page, tc.page)
					}
					return
				}
			}
			t.Fatalf("no citation of %s quotes %q: %s", tc.doc, tc.fact, out)
		})
	}

	// The command line shows the page beside the citation.
	out, _ = run("ask", "--corpus", corpusDir, "--data", data, "恆星的哪一部分是觀測者可見的？")
	if !strings.Contains(out, "page 4") {
		t.Errorf("ask does not show the page:\n%s", out)
	}
}
