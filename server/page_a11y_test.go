package server

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserAccessibility runs axe-core in the page at desktop and phone
// widths, in the light and the dark theme (switched with the page's own
// button), over an answer with a withheld sentence and an open preview, the
// citation reader, a refusal and the key dialog, and fails on any serious
// or critical violation. It also checks what axe does not: that every
// control is at least 24×24 px and that keyboard focus is visible.
func TestBrowserAccessibility(t *testing.T) {
	ctx := newBrowser(t)
	axe := axeScript(t)
	f := newFakeLLM(t, func(ps map[int]string) []string {
		return []string{firstSentence(ps[1]) + "[1]。美方还同意在2031年前向中方支付9999亿美元[1]。"}
	})
	p := servePage(t, f.service(t), realIndex(t))
	browse(t, ctx, chromedp.Navigate(p.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#documents li")))
	askInPage(t, ctx, "马德里会谈讨论了哪些议题？")
	click(t, ctx, "#new-conv")
	askInPage(t, ctx, "2018年世界杯冠军是哪支球队？")

	// The conversation list is newest first: the refusal, then the answer.
	const answered, refused = "#conv-list .conv-row:nth-child(2) .conv", "#conv-list .conv-row:nth-child(1) .conv"
	scenes := []struct {
		name  string
		setup func()
		after func()
	}{
		{"answer", func() {
			click(t, ctx, answered)
			browse(t, ctx, chromedp.WaitVisible(chromedp.CSS(lastTurn+" .note.withheld")))
			js(t, ctx, `document.querySelector("`+lastTurn+` .note.withheld details").open = true`)
			click(t, ctx, lastTurn+` .thumb[data-rating="up"]`)
			hover(t, ctx, lastTurn+" .answer button.cite")
			poll(t, ctx, `!document.getElementById("preview").hidden`, "the preview")
		}, func() {}},
		{"reader", func() {
			click(t, ctx, lastTurn+" .answer button.cite")
			browse(t, ctx, chromedp.WaitVisible(chromedp.CSS("#reader mark#highlight")))
		}, func() { click(t, ctx, "#reader-close") }},
		{"refusal", func() {
			click(t, ctx, refused)
			browse(t, ctx, chromedp.WaitVisible(chromedp.CSS(lastTurn+" .refusal")))
			js(t, ctx, `document.querySelector("`+lastTurn+` .refusal details").open = true`)
		}, func() {}},
		{"key dialog", func() {
			js(t, ctx, `document.getElementById("key-dialog").showModal()`)
		}, func() { click(t, ctx, "#key-cancel") }},
	}
	for _, width := range []struct {
		name          string
		width, height int64
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		browse(t, ctx, chromedp.EmulateViewport(width.width, width.height), chromedp.Sleep(100*time.Millisecond))
		for _, theme := range []string{"light", "dark"} {
			// The page's own switch, as a reader would use it.
			if read(t, ctx, chromedp.Evaluate[string](`document.documentElement.dataset.theme`)) != theme {
				click(t, ctx, "#theme")
			}
			bg := read(t, ctx, chromedp.Evaluate[string](`getComputedStyle(document.body).backgroundColor`))
			if (theme == "dark") != (bg == "rgb(23, 22, 20)") {
				t.Fatalf("%s theme: body background %s", theme, bg)
			}
			for _, sc := range scenes {
				name := fmt.Sprintf("%s/%s/%s", width.name, theme, sc.name)
				sc.setup()
				shoot(t, ctx, "a11y-"+strings.ReplaceAll(name, "/", "-"))
				for _, v := range runAxe(t, ctx, axe) {
					var where []string
					for _, n := range v.Nodes {
						where = append(where, fmt.Sprint(n.Target)+": "+n.Summary)
					}
					msg := fmt.Sprintf("%s: axe %s (%s): %s\n  %s", name, v.ID, v.Impact, v.Help, strings.Join(where, "\n  "))
					if v.Impact == "serious" || v.Impact == "critical" {
						t.Error(msg)
					} else {
						t.Log(msg)
					}
				}
				if wide := read(t, ctx, chromedp.Evaluate[string](`(() => {
					if (document.documentElement.scrollWidth <= innerWidth) return "";
					const out = [];
					for (const e of document.querySelectorAll("body *")) {
						const r = e.getBoundingClientRect();
						if (r.right > innerWidth + 1 && !e.closest("[hidden]")) out.push(e.tagName + "." + e.className + " " + Math.round(r.right));
					}
					return document.documentElement.scrollWidth + " > " + innerWidth + ": " + out.slice(0, 8).join(", "); })()`)); wide != "" {
					t.Errorf("%s: the page scrolls sideways: %s", name, wide)
				}
				for _, small := range smallTargets(t, ctx) {
					t.Errorf("%s: target smaller than 24×24 px: %s", name, small)
				}
				sc.after()
			}
		}
	}
	checkFocusVisible(t, ctx)
}

// smallTargets lists the visible controls smaller than 24×24 px, except
// links inside running text, which WCAG 2.5.8 exempts.
func smallTargets(t *testing.T, ctx context.Context) []string {
	return read(t, ctx, chromedp.Evaluate[[]string](`(() => {
		const out = [];
		const dialog = document.querySelector("dialog[open]");
		for (const e of (dialog || document).querySelectorAll("button, a, summary, select, input, textarea")) {
			const r = e.getBoundingClientRect();
			if (r.width === 0 || r.height === 0 || getComputedStyle(e).visibility === "hidden") continue;
			if (e.closest("[hidden]") || e.classList.contains("skip")) continue;
			if (e.tagName === "A" && !e.classList.contains("tool") && getComputedStyle(e).display === "inline") continue;
			if (r.width < 24 || r.height < 24) out.push(e.tagName + "." + e.className + " " + (e.textContent || e.getAttribute("aria-label") || "").trim().slice(0, 20) + " " + Math.round(r.width) + "×" + Math.round(r.height));
		}
		return out; })()`))
}

// checkFocusVisible tabs through the page and checks that each focused
// control shows an outline of at least 2 px.
func checkFocusVisible(t *testing.T, ctx context.Context) {
	t.Helper()
	browse(t, ctx, chromedp.EmulateViewport(1280, 900))
	js(t, ctx, `document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)`)
	seen := 0
	for range 25 {
		browse(t, ctx, chromedp.KeyEvent("\t"))
		got := read(t, ctx, chromedp.Evaluate[string](`(() => {
			const e = document.activeElement;
			if (!e || e === document.body) return "";
			const s = getComputedStyle(e);
			return e.tagName + "#" + e.id + "." + e.className + "|" + s.outlineStyle + "|" + s.outlineWidth; })()`))
		if got == "" {
			continue
		}
		seen++
		parts := strings.Split(got, "|")
		if parts[1] == "none" || parts[2] == "0px" || parts[2] == "1px" {
			// The question box shows focus with its form's border instead.
			if strings.HasPrefix(parts[0], "TEXTAREA#question") {
				continue
			}
			t.Errorf("keyboard focus on %s is not visible (outline %s %s)", parts[0], parts[1], parts[2])
		}
	}
	if seen < 10 {
		t.Errorf("Tab reached only %d controls", seen)
	}
}
