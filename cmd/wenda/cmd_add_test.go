package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run runs wenda in-process with the given environment.
func run(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut strings.Builder
	code = Main(context.Background(), args, &out, &errOut, func(k string) string { return env[k] })
	return code, out.String(), errOut.String()
}

// addFolder writes files to add: two real articles, a .txt that is not
// text, and an image.
func addFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, a := range []string{"g2-busan-summit.txt", "trump-return-new-stage.md"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "corpus", "articles", a))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "copy-"+a), b, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "broken.txt"), []byte("前言\n\x00\x01\x02\x03\x00\x01\x02\x03\x00\x01\x02\x03"), 0o644)
	png, err := os.ReadFile(filepath.Join("..", "..", "extract", "testdata", "files", "photo.png"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "photo.png"), png, 0o644)
	return dir
}

func TestAddOnDataDirectory(t *testing.T) {
	data, files := t.TempDir(), addFolder(t)
	if code, out, errOut := run(t, nil, "collections", "create", "notes", "--data", data, "--title", "笔记", "--description", "会议笔记"); code != 0 || !strings.Contains(out, "created collection notes") {
		t.Fatalf("create: %d %s %s", code, out, errOut)
	}
	code, out, errOut := run(t, nil, "add", "--data", data, "--collection", "notes", files)
	if code != 1 || !strings.Contains(out, "added 2, 1 failed, 1 refused of 4 files in collection notes") {
		t.Fatalf("add: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "failed: "+filepath.Join(files, "broken.txt")+": the file could not be read: binary") || !strings.Contains(errOut, "(binary_file)") || !strings.Contains(errOut, "refused: "+filepath.Join(files, "photo.png")) {
		t.Errorf("the failures are not named with their reasons:\n%s", errOut)
	}
	// Again: nothing new; the failed file is tried again and fails again.
	code, out, _ = run(t, nil, "add", "--data", data, "--collection", "notes", files)
	if code != 1 || !strings.Contains(out, "added 0, 2 unchanged, 1 failed, 1 refused") {
		t.Errorf("second add: %d %s", code, out)
	}
	code, out, _ = run(t, nil, "collections", "--data", data)
	if code != 0 || !strings.Contains(out, "notes") || !strings.Contains(out, "笔记 — 会议笔记") {
		t.Fatalf("list: %d %s", code, out)
	}
	var docs, failed int
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) > 5 && f[0] == "notes" {
			fmt.Sscan(f[1], &docs)
			fmt.Sscan(f[4], &failed)
		}
	}
	if docs != 2 || failed != 1 {
		t.Errorf("notes holds %d documents, %d failed:\n%s", docs, failed, out)
	}
	if code, _, errOut := run(t, nil, "collections", "delete", "default", "--data", data); code != 1 || !strings.Contains(errOut, "cannot be deleted") {
		t.Errorf("delete default: %d %s", code, errOut)
	}
	if code, out, _ := run(t, nil, "collections", "delete", "notes", "--data", data); code != 0 || !strings.Contains(out, "deleted collection notes") {
		t.Errorf("delete: %d %s", code, out)
	}
}

// TestAddToServer adds files through a running server whose rate limit is
// tight, so that the client has to wait out 429s, with the key taken from
// WENDA_API_KEY.
func TestAddToServer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process")
	}
	c := startChild(t, t.TempDir(), "--rate-limit", "3", "--rate-burst", "3")
	defer c.kill()
	server := "http://" + c.addr
	files := addFolder(t)
	for i := range 20 {
		os.WriteFile(filepath.Join(files, fmt.Sprintf("note-%02d.md", i)), []byte(fmt.Sprintf("# 第%d次会议\n\n双方同意在第%d轮磋商中继续讨论关税问题。\n", i+1, i+1)), 0o644)
	}
	withKey := map[string]string{"WENDA_API_KEY": crashAdminKey}

	code, _, errOut := run(t, nil, "add", "--server", server, files)
	if code != 1 || !strings.Contains(errOut, "key_required") || !strings.Contains(errOut, "WENDA_API_KEY") {
		t.Fatalf("without a key: %d %s", code, errOut)
	}
	if code, out, errOut := run(t, withKey, "collections", "create", "minutes", "--server", server, "--title", "会议纪要"); code != 0 {
		t.Fatalf("create: %d %s %s", code, out, errOut)
	}
	code, out, errOut := run(t, withKey, "add", "--server", server, "--collection", "minutes", files)
	if code != 1 || !strings.Contains(out, "added 22, 1 failed, 1 refused of 24 files in collection minutes") {
		t.Fatalf("add: exit %d\n%s\n%s\n%s", code, out, errOut, c.logs.String())
	}
	if !strings.Contains(errOut, "unsupported_file_type") {
		t.Errorf("the refused image is not named with the server's reason:\n%s", errOut)
	}
	if !strings.Contains(c.logs.String(), "status=429") {
		t.Error("the rate limit never answered 429: the test did not exercise the client's waiting")
	}
	code, out, _ = run(t, withKey, "collections", "list", "--server", server)
	if code != 0 || !strings.Contains(out, "minutes") {
		t.Errorf("list: %d %s", code, out)
	}
}
