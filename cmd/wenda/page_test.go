package main

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"wenda/internal/browsertest"
)

var adminKeyRE = regexp.MustCompile(`admin_key=(\S+)`)

// TestPageUploadAskDelete runs the whole program as a new user does (no
// configuration but the data folder) and feeds a collection from the page:
// it picks the collection, whose title, description and example questions
// head the page; uploads a Word file with the file picker, asking for the
// key the server printed at its first start, and a Big5 text by dropping
// it on the page; sees both become ready, a PNG refused with the reason
// and a scanned PDF failed in the words for its error code; asks about
// the Word file and opens the citation; deletes it; and asks again, to be
// told the documents cannot answer.
func TestPageUploadAskDelete(t *testing.T) {
	ctx := browsertest.New(t)
	data := t.TempDir()
	// The PDF engine's compiled code is shared by every test run on the
	// machine, as formats_test does: compiling it anew costs this test
	// seconds, a minute on a loaded machine.
	addr, logs, stop := startServe(t, data, "--cache-dir", filepath.Join(os.TempDir(), "wenda-test-pdfium-cache"))
	defer stop()
	m := adminKeyRE.FindStringSubmatch(logs.String())
	if m == nil {
		t.Fatalf("the first start printed no admin key:\n%s", logs)
	}
	adminKey := m[1]
	base := "http://" + addr

	// An operator makes a collection for the upload.
	body := `{"id":"history","title":"科学史读书会","description":"读书会整理的科学史人物与事件","language":"zh-Hant","examples":["伽利略被譽為什麼之父？","盧安達位於哪裡？"]}`
	req, _ := http.NewRequest("POST", base+"/v1/collections", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+adminKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("create collection: %v %v", res.Status, err)
	}
	res.Body.Close()

	files := filepath.Join("..", "..", "extract", "testdata", "files")
	docx, _ := filepath.Abs(filepath.Join(files, "galileo.docx"))
	png, _ := filepath.Abs(filepath.Join(files, "photo.png"))
	big5, err := os.ReadFile(filepath.Join(files, "rwanda-big5.txt"))
	if err != nil {
		t.Fatal(err)
	}

	browsertest.Do(t, ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("#documents li")))
	// The built-in collection first, as a new user meets it: its title
	// heads the page, and an example question answers with citations.
	browsertest.Poll(t, ctx, `document.getElementById("coll-title").textContent === "中美关系评论" && document.querySelector("#examples .chip") !== null`, "the default collection's metadata")
	browsertest.Click(t, ctx, "#examples .chip")
	browsertest.Poll(t, ctx, `document.querySelector("`+browsertest.LastTurn+`") && document.querySelector("`+browsertest.LastTurn+`").getAttribute("aria-busy") === "false"`, "the example's answer")
	browsertest.Hover(t, ctx, browsertest.LastTurn+` .answer button.cite[data-n="1"]`)
	browsertest.Poll(t, ctx, `!document.getElementById("preview").hidden`, "the preview")
	browsertest.JS(t, ctx, `window.scrollTo(0, 0)`)
	browsertest.Shoot(t, ctx, "page-answer")
	browsertest.Click(t, ctx, "#new-conv")
	// Two collections: the picker shows; choosing one puts its metadata at
	// the head of the page.
	browsertest.Poll(t, ctx, `!document.getElementById("coll-picker").hidden && document.querySelectorAll("#collection option").length === 2`, "the collection picker")
	browsertest.JS(t, ctx, `const s = document.getElementById("collection"); s.value = "history"; s.dispatchEvent(new Event("change"))`)
	browsertest.Poll(t, ctx, `document.getElementById("coll-title").textContent === "科学史读书会"`, "the collection's title")
	head := browsertest.Read(t, ctx, chromedp.Evaluate[[]string](`[document.getElementById("tagline").textContent, document.title,
		...Array.from(document.querySelectorAll("#examples .chip"), (c) => c.textContent)]`))
	if strings.Join(head, "|") != "读书会整理的科学史人物与事件|科学史读书会 · 问答 wenda|伽利略被譽為什麼之父？|盧安達位於哪裡？" {
		t.Errorf("the page's head shows %q", head)
	}
	if n := browsertest.Read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#documents li").length`)); n != 0 {
		t.Errorf("the new collection lists %d documents", n)
	}

	// The file picker: the page asks for the key once, then uploads.
	browsertest.Do(t, ctx, chromedp.SetUploadFiles(chromedp.ID("files"), []string{docx}))
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.ID("key-input")),
		chromedp.SendKeys(chromedp.ID("key-input"), adminKey), chromedp.KeyEvent("\r"))
	browsertest.Poll(t, ctx, `document.querySelector("#uploads li[data-status='ready']") !== null`, "the Word file to be ready")
	browsertest.Shoot(t, ctx, "upload-ready")

	// Dropping a file on the page uploads it too, with the key given.
	browsertest.JS(t, ctx, `const bytes = Uint8Array.from(atob("`+base64.StdEncoding.EncodeToString(big5)+`"), (c) => c.charCodeAt(0));
		const dt = new DataTransfer(); dt.items.add(new File([bytes], "rwanda-big5.txt", {type: "text/plain"}));
		const zone = document.querySelector(".library");
		zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
		zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}))`)
	browsertest.Poll(t, ctx, `document.querySelectorAll("#uploads li[data-status='ready']").length === 2`, "the dropped file to be ready")
	if open := browsertest.Read(t, ctx, chromedp.Evaluate[bool](`document.getElementById("key-dialog").open`)); open {
		t.Error("the page asked for the key a second time")
	}
	// A file the server cannot read is refused, with its reason.
	browsertest.Do(t, ctx, chromedp.SetUploadFiles(chromedp.ID("files"), []string{png}))
	browsertest.Poll(t, ctx, `document.querySelector("#uploads li[data-status='failed']") !== null`, "the PNG to be refused")
	refused := browsertest.Read(t, ctx, chromedp.Evaluate[string](`document.querySelector("#uploads li[data-status='failed']").textContent`))
	if !strings.Contains(refused, "photo.png") || !strings.Contains(refused, "不支持这种文件类型") || !strings.Contains(refused, "PNG") {
		t.Errorf("the refused upload says %q", refused)
	}
	// A file the server takes but cannot read fails in the page's words
	// for its error code, with the server's own beside them, in the upload
	// list and in the document list.
	scanned, _ := filepath.Abs(filepath.Join(files, "scanned.pdf"))
	browsertest.Do(t, ctx, chromedp.SetUploadFiles(chromedp.ID("files"), []string{scanned}))
	const scannedRow = `Array.from(document.querySelectorAll("#uploads li[data-status='failed']")).find((li) => li.textContent.includes("scanned.pdf"))`
	browsertest.Poll(t, ctx, scannedRow+` !== undefined`, "the scanned PDF to fail")
	failed := browsertest.Read(t, ctx, chromedp.Evaluate[string](scannedRow+`.textContent`))
	if !strings.Contains(failed, "这是扫描版 PDF，没有文字层") || !strings.Contains(failed, "no text layer") {
		t.Errorf("the scanned PDF's upload says %q", failed)
	}
	browsertest.Poll(t, ctx, `document.querySelectorAll("#documents li").length === 3`, "the document list to show the three files")
	if e := browsertest.Read(t, ctx, chromedp.Evaluate[string](`(document.querySelector("#documents .doc-error") || {}).textContent || ""`)); !strings.Contains(e, "这是扫描版 PDF") {
		t.Errorf("the failed document is listed with %q", e)
	}
	titles := browsertest.Read(t, ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#documents .doc-title"), (e) => e.textContent)`))
	if !strings.Contains(strings.Join(titles, "|"), "伽利略") {
		t.Fatalf("the document list shows %q", titles)
	}

	// Ask about the Word file and open the citation.
	const question = "伽利略被譽為什麼之父？"
	browsertest.Ask(t, ctx, question)
	answer := browsertest.Read(t, ctx, chromedp.TextContent(chromedp.CSS(browsertest.LastTurn+" .answer")))
	if !strings.Contains(answer, "之父") {
		t.Fatalf("the answer about the upload is %q", answer)
	}
	// Clicked in the page, not with the mouse at where the button was: the
	// document list still growing beside the answer can move it in
	// between, and the mouse then only hovered it.
	browsertest.JS(t, ctx, `document.querySelector("`+browsertest.LastTurn+` .answer button.cite[data-n='1']").click()`)
	browsertest.Poll(t, ctx, `document.getElementById("reader").open && (document.querySelector("#reader mark#highlight") || {getClientRects: () => []}).getClientRects().length > 0`, "the cited passage highlighted in the reader")
	browsertest.Shoot(t, ctx, "upload-citation")
	if title := browsertest.Read(t, ctx, chromedp.TextContent(chromedp.ID("reader-title"))); title != "伽利略" {
		t.Errorf("the citation opens %q", title)
	}
	evidence := browsertest.Read(t, ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("#reader-text mark.evidence"), (m) => m.textContent).join("")`))
	if !strings.Contains(evidence, "之父") {
		t.Errorf("the evidence marked is %q", evidence)
	}
	browsertest.Click(t, ctx, "#reader-close")

	// Delete it, confirming in the page's dialog.
	browsertest.Click(t, ctx, `#documents button[aria-label*="伽利略"]`)
	browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.ID("confirm-ok")))
	browsertest.Click(t, ctx, "#confirm-ok")
	browsertest.Poll(t, ctx, `document.querySelectorAll("#documents li").length === 2 && !document.getElementById("documents").textContent.includes("伽利略")`, "the document to be gone")

	// Asked again, in a new conversation, the documents cannot answer.
	browsertest.Click(t, ctx, "#new-conv")
	browsertest.Ask(t, ctx, question)
	refusal := browsertest.Read(t, ctx, chromedp.Evaluate[string](`(document.querySelector("`+browsertest.LastTurn+` .refusal-text") || {}).textContent || ""`))
	if refusal == "" {
		t.Fatalf("after the delete the question is answered: %q",
			browsertest.Read(t, ctx, chromedp.TextContent(chromedp.CSS(browsertest.LastTurn+" .answer"))))
	}

	// The collection controls pass axe-core too: the picker, the upload
	// list with its refusal, the document list and the confirm dialog, in
	// both themes, at desktop and phone widths.
	axe := browsertest.Axe(t)
	for _, width := range []int64{1280, 390} {
		browsertest.Do(t, ctx, chromedp.EmulateViewport(width, 844))
		for range 2 {
			browsertest.Click(t, ctx, "#theme")
			for _, dialog := range []bool{false, true} {
				if dialog {
					browsertest.Click(t, ctx, `#documents button[data-delete]`)
					browsertest.Do(t, ctx, chromedp.WaitVisible(chromedp.ID("confirm-ok")))
				}
				for _, v := range browsertest.RunAxe(t, ctx, axe) {
					if v.Impact == "serious" || v.Impact == "critical" {
						t.Errorf("width %d, dialog %v: axe %s (%s): %s %v", width, dialog, v.ID, v.Impact, v.Help, v.Nodes)
					}
				}
				if dialog {
					browsertest.Click(t, ctx, `#confirm-dialog button[value="cancel"]`)
				}
			}
		}
	}
	if n := browsertest.Read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#documents li").length`)); n != 2 {
		t.Errorf("cancelling the delete left %d documents", n)
	}

	// The server agrees: the collection holds the dropped file and the
	// scanned PDF that failed, nothing else.
	var list struct {
		Documents []struct {
			Filename string `json:"filename"`
		} `json:"documents"`
	}
	res, err = http.Get(base + "/v1/collections/history/documents")
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(res.Body).Decode(&list)
	res.Body.Close()
	names := make([]string, 0, len(list.Documents))
	for _, d := range list.Documents {
		names = append(names, d.Filename)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"rwanda-big5.txt", "scanned.pdf"}) {
		t.Errorf("the server lists %+v", list.Documents)
	}
}
