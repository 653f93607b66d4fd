package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

func init() {
	register(command{
		name:    "healthcheck",
		summary: "exit 0 when the server at --addr is ready to answer, 1 otherwise (for container health checks)",
		usage:   "[--addr :8080]",
		setup:   noFlags(runHealthcheck),
	})
}

// runHealthcheck asks the local server's /readyz. A minimal container image
// has no shell or curl, so the binary checks itself.
func runHealthcheck(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, args[0])
	}
	url, err := readyURL(env.Cfg.Addr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	// No proxy: the server is on this machine.
	client := &http.Client{Transport: &http.Transport{Proxy: nil}}
	res, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("not ready: %w", err)
	}
	defer res.Body.Close()
	io.Copy(io.Discard, io.LimitReader(res.Body, 1<<16))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("not ready: GET %s: %s", url, res.Status)
	}
	fmt.Fprintln(env.Stdout, "ready")
	return nil
}

// readyURL is the /readyz address of a server listening on addr: a
// wildcard host (":8080", "0.0.0.0:8080", "[::]:8080") is reached on the
// loopback interface.
func readyURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("--addr %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/readyz", nil
}
