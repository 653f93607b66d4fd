// Package browsertest drives the wenda page in a headless Chromium for
// tests: it starts the browser, runs actions, clicks and hovers as a
// reader does, asks questions in the page, takes screenshots and runs
// axe-core. Only tests import it.
package browsertest

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

var screenshots = flag.String("screenshots", "", "write screenshots of the page at desktop and phone width to this folder")

// Screenshots reports whether the test run was asked for screenshots.
func Screenshots() bool { return *screenshots != "" }

// New starts a headless Chromium for one test, or skips the test
// when none is installed (and fails it when WENDA_REQUIRE_BROWSER is set,
// as CI sets it once it has installed one). The returned context bounds
// the test's actions.
func New(t *testing.T) context.Context {
	t.Helper()
	var path string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("WENDA_REQUIRE_BROWSER") != "" {
			t.Fatal("WENDA_REQUIRE_BROWSER is set but no chromium, chromium-browser or google-chrome is on PATH")
		}
		t.Skip("browser test skipped: no chromium, chromium-browser or google-chrome on PATH (apt-get install chromium)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	for _, f := range []string{"headless", "no-sandbox", "disable-gpu", "disable-quic", "no-first-run",
		"disable-background-networking", "disable-component-update", "disable-sync"} {
		opts = append(opts, chromedp.Flag(f, true))
	}
	opts = append(opts, chromedp.Flag("lang", "zh-CN"), chromedp.Flag("accept-lang", "zh-CN,zh"))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	// The first call starts the browser and must not carry a deadline,
	// which would end the browser with it.
	if err := chromedp.Do(bctx); err != nil {
		cancelBrowser()
		cancelAlloc()
		t.Fatalf("start %s: %v", path, err)
	}
	// Errors in the page's scripts are the test's errors.
	_ = chromedp.Listen(bctx, func(ev any) {
		switch ev := ev.(type) {
		case *cdpruntime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			t.Errorf("page script error at %s:%d: %s", d.URL, d.LineNumber+1, msg)
		case *cdpruntime.EventConsoleAPICalled:
			if ev.Type == cdpruntime.ConsoleAPICalledTypeError {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value))
				}
				t.Logf("console.error: %s", strings.Join(args, " "))
			}
		}
	})
	ctx, cancel := context.WithTimeout(bctx, 150*time.Second)
	t.Cleanup(func() {
		cancel()
		cancelBrowser()
		cancelAlloc()
	})
	return ctx
}

// Read runs one browser action and returns its value, failing the test on
// error.
func Read[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Do runs browser actions in order, failing the test on error.
func Do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// JS evaluates a statement in the page for its effect.
func JS(t *testing.T, ctx context.Context, stmt string) {
	t.Helper()
	Read(t, ctx, chromedp.Evaluate[bool](`(() => { `+stmt+`; return true; })()`))
}

// Poll waits until the expression is true in the page.
func Poll(t *testing.T, ctx context.Context, expr string, what string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(40*time.Second))); err != nil {
		shootAlways(t, ctx, "failed-"+t.Name())
		t.Fatalf("waiting for %s: %v", what, err)
	}
}

// Centre scrolls the first element matching sel to the middle of the view
// and returns its centre, failing the test when something else is on top
// of it there. It waits until the element has kept its place for two
// frames: the page scrolls smoothly to a new answer and text streams in
// above and around it, and a click sent to where the element was a frame
// ago lands beside it (a hover instead of a click, on a loaded machine).
func Centre(t *testing.T, ctx context.Context, sel string) (x, y float64) {
	t.Helper()
	var pt struct {
		X, Y float64
		Top  bool
	}
	raw := Read(t, ctx, chromedp.Evaluate[string](fmt.Sprintf(`(async () => {
		const e = document.querySelector(%q);
		const frame = () => new Promise((ok) => requestAnimationFrame(() => ok()));
		let prev = null, still = 0;
		for (let i = 0; i < 300 && still < 2; i++) {
			e.scrollIntoView({block: "center"});
			await frame();
			const r = e.getBoundingClientRect();
			still = prev && Math.abs(r.left - prev.left) < 0.5 && Math.abs(r.top - prev.top) < 0.5 ? still + 1 : 0;
			prev = r;
		}
		const r = e.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
		const hit = document.elementFromPoint(x, y);
		return JSON.stringify({X: x, Y: y, Top: Boolean(hit) && (hit === e || e.contains(hit))}); })()`, sel), chromedp.EvalAwaitPromise))
	if err := json.Unmarshal([]byte(raw), &pt); err != nil {
		t.Fatal(err)
	}
	if !pt.Top {
		t.Fatalf("%s is covered by another element", sel)
	}
	return pt.X, pt.Y
}

// Hover moves the mouse over the centre of the first element matching sel.
func Hover(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	x, y := Centre(t, ctx, sel)
	Do(t, ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x, y))
}

// Click clicks the centre of the first element matching sel with the mouse.
func Click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	x, y := Centre(t, ctx, sel)
	Do(t, ctx, chromedp.MouseClickXY(x, y))
}

// Ask types a question into the box, sends it with Enter as a reader
// does, and waits for its answer to be complete.
func Ask(t *testing.T, ctx context.Context, question string) {
	t.Helper()
	before := Read(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#thread .turn").length`))
	Do(t, ctx,
		chromedp.WaitVisible(chromedp.ID("question")),
		chromedp.SetValue(chromedp.ID("question"), question),
		chromedp.Focus(chromedp.ID("question")),
		chromedp.KeyEvent("\r"),
	)
	Poll(t, ctx, fmt.Sprintf(`document.querySelectorAll("#thread .turn").length === %d &&
		document.querySelector("#thread .turn:last-child").getAttribute("aria-busy") === "false"`, before+1), "the answer to "+question)
}

// LastTurn is a selector of the newest turn of the thread.
const LastTurn = "#thread .turn:last-child"

// Shoot saves what the viewport shows when -screenshots is set. (A
// full-page capture leaves Chromium's input coordinates off, so that later
// clicks miss.)
func Shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if *screenshots != "" {
		save(t, name, Read(t, ctx, chromedp.CaptureScreenshot()))
	}
}

// shootAlways saves the viewport of a failing test in the test's temporary
// folder, or in the screenshots folder when one is given.
func shootAlways(t *testing.T, ctx context.Context, name string) {
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		return
	}
	dir := *screenshots
	if dir == "" {
		dir = os.TempDir()
	}
	path := filepath.Join(dir, strings.NewReplacer("/", "-", " ", "-").Replace(name)+".png")
	if os.WriteFile(path, png, 0o644) == nil {
		t.Logf("screenshot of the failure: %s", path)
	}
}

func save(t *testing.T, name string, png []byte) {
	t.Helper()
	path := filepath.Join(*screenshots, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// Axe is axe-core, installed by .ci/run with npm (pinned in
// .ci/axe/package-lock.json), or at the path in WENDA_AXE_JS.
func Axe(t *testing.T) string {
	t.Helper()
	path := os.Getenv("WENDA_AXE_JS")
	if path == "" {
		_, file, _, _ := runtime.Caller(0)
		path = filepath.Join(filepath.Dir(file), "..", "..", ".ci", "axe", "node_modules", "axe-core", "axe.min.js")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv("WENDA_REQUIRE_BROWSER") != "" {
			t.Fatalf("axe-core not found (%v); npm ci --prefix .ci/axe installs it", err)
		}
		t.Skipf("accessibility check skipped: axe-core not found (%v); npm ci --prefix .ci/axe installs it", err)
	}
	return string(b)
}

// AxeViolation is one rule axe-core found broken.
type AxeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// RunAxe injects axe-core into the page and returns its violations.
func RunAxe(t *testing.T, ctx context.Context, axe string) []AxeViolation {
	t.Helper()
	Read(t, ctx, chromedp.Evaluate[bool](axe+"\n;true"))
	raw := Read(t, ctx, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ["violations"]}).then((r) => JSON.stringify(r.violations))`, chromedp.EvalAwaitPromise))
	var vs []AxeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		t.Fatal(err)
	}
	return vs
}
