package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// FreePort returns a loopback TCP port that nothing listens on right now.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// WaitReady polls base+"/readyz" every interval until it answers 200,
// and returns the number of documents the server reports then. It fails
// when ctx ends first.
func WaitReady(ctx context.Context, base string, every time.Duration) (int, error) {
	client := &http.Client{Timeout: time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/readyz", nil)
		if err != nil {
			return 0, err
		}
		if resp, err := client.Do(req); err == nil {
			var ready struct {
				Documents int `json:"documents"`
			}
			err := json.NewDecoder(resp.Body).Decode(&ready)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				if err != nil {
					return 0, fmt.Errorf("read %s/readyz: %w", base, err)
				}
				return ready.Documents, nil
			}
		}
		select {
		case <-ctx.Done():
			return 0, fmt.Errorf("wait for %s/readyz: %w", base, context.Cause(ctx))
		case <-time.After(every):
		}
	}
}

// Exercise sends n searches and n/4 offline questions to the server at
// base, one at a time, cycling through qs, so that its resident set
// includes what serving costs and not only the loaded index. It returns
// the latency of each search and each answer over HTTP.
func Exercise(ctx context.Context, base string, qs []string, n int) (search, ask []time.Duration, err error) {
	client := &http.Client{Timeout: 5 * time.Minute}
	do := func(req *http.Request) error {
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		io.Copy(io.Discard, resp.Body)
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s %s: status %d", req.Method, req.URL.Path, resp.StatusCode)
		}
		return nil
	}
	for i := range n {
		q := qs[i%len(qs)]
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/v1/search?q="+url.QueryEscape(q), nil)
		if err != nil {
			return nil, nil, err
		}
		start := time.Now()
		if err := do(req); err != nil {
			return nil, nil, err
		}
		search = append(search, time.Since(start))
		if i%4 != 0 {
			continue
		}
		body, _ := json.Marshal(map[string]string{"question": q})
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, base+"/v1/ask", bytes.NewReader(body))
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		start = time.Now()
		if err := do(req); err != nil {
			return nil, nil, err
		}
		ask = append(ask, time.Since(start))
	}
	return search, ask, nil
}
