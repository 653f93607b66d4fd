package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"wenda/answer"
)

// lockedBuffer collects output written from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var listeningRE = regexp.MustCompile(`msg=listening addr=(\S+)`)

// startServe runs "wenda serve" in-process on a free port with no
// configuration but the data folder and the extra flags, as a new user
// would, and returns its address once it is ready.
func startServe(t *testing.T, data string, extra ...string) (addr string, logs *lockedBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs = &lockedBuffer{}
	code := make(chan int, 1)
	noEnv := func(string) string { return "" }
	go func() {
		code <- Main(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data}, extra...), io.Discard, logs, noEnv)
	}()
	stop = func() int {
		cancel()
		select {
		case c := <-code:
			return c
		case <-time.After(30 * time.Second):
			t.Fatal("serve did not stop")
			return -1
		}
	}
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		if m := listeningRE.FindStringSubmatch(logs.String()); m != nil && addr == "" {
			addr = m[1]
		}
		if addr != "" {
			if res, err := http.Get("http://" + addr + "/readyz"); err == nil {
				res.Body.Close()
				if res.StatusCode == http.StatusOK {
					return addr, logs, stop
				}
			}
		}
		select {
		case c := <-code:
			t.Fatalf("serve exited with %d:\n%s", c, logs.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	stop()
	t.Fatalf("serve did not become ready:\n%s", logs.String())
	return "", nil, nil
}

func TestServeEndToEnd(t *testing.T) {
	data := t.TempDir()
	addr, logs, stop := startServe(t, data)
	if !strings.Contains(logs.String(), "no index yet; building it") {
		t.Errorf("a fresh data folder did not build the index:\n%s", logs.String())
	}

	res, err := http.Post("http://"+addr+"/v1/ask", "application/json",
		strings.NewReader(`{"question":"达巍用哪个英文词来概括这次中美元首会晤？"}`))
	if err != nil {
		t.Fatal(err)
	}
	var a answer.Answer
	err = json.NewDecoder(res.Body).Decode(&a)
	res.Body.Close()
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("status %d, %v", res.StatusCode, err)
	}
	if !a.Answerable || !strings.Contains(a.Text, "inflection point") || len(a.Citations) == 0 {
		t.Errorf("answer %+v", a)
	}
	if res.Header.Get("X-Request-ID") == "" {
		t.Error("no X-Request-ID")
	}

	var out bytes.Buffer
	if code := Main(context.Background(), []string{"healthcheck", "--addr", addr}, &out, io.Discard, func(string) string { return "" }); code != 0 || strings.TrimSpace(out.String()) != "ready" {
		t.Errorf("healthcheck of a ready server: exit %d, %q", code, out.String())
	}
	if code := stop(); code != 0 {
		t.Fatalf("serve exited with %d after a clean shutdown:\n%s", code, logs.String())
	}
	if code := Main(context.Background(), []string{"healthcheck", "--addr", addr}, io.Discard, io.Discard, func(string) string { return "" }); code != 1 {
		t.Errorf("healthcheck of a stopped server: exit %d, want 1", code)
	}

	// The second start loads the index the first one built.
	_, logs, stop = startServe(t, data)
	if strings.Contains(logs.String(), "building it") {
		t.Errorf("the second start rebuilt the index:\n%s", logs.String())
	}
	if code := stop(); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

func TestReadyURL(t *testing.T) {
	tests := []struct{ addr, want string }{
		{":8080", "http://127.0.0.1:8080/readyz"},
		{"0.0.0.0:9000", "http://127.0.0.1:9000/readyz"},
		{"[::]:8080", "http://127.0.0.1:8080/readyz"},
		{"127.0.0.1:8089", "http://127.0.0.1:8089/readyz"},
		{"10.0.0.5:80", "http://10.0.0.5:80/readyz"},
		{"[::1]:8080", "http://[::1]:8080/readyz"},
	}
	for _, tt := range tests {
		got, err := readyURL(tt.addr)
		if err != nil || got != tt.want {
			t.Errorf("readyURL(%q) = %q, %v; want %q", tt.addr, got, err, tt.want)
		}
	}
	if _, err := readyURL("8080"); err == nil {
		t.Error("readyURL accepted an address without a port")
	}
}
