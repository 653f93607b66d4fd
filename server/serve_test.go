package server

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"wenda/answer"
)

// TestShutdownFinishesInFlight starts the real http.Server, begins a slow
// answer, shuts down (as SIGTERM does, through the context) and checks that
// the answer still arrives while new connections are refused.
func TestShutdownFinishesInFlight(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	s := New(Options{Logger: slog.New(slog.DiscardHandler), ShutdownTimeout: 10 * time.Second})
	ix := realIndex(t)
	s.Ready(Backend{Searcher: ix, Library: ix, Asker: &fakeAsker{ask: func(ctx context.Context, req answer.Request) (answer.Answer, error) {
		close(entered)
		<-release
		if ctx.Err() != nil {
			t.Errorf("shutdown canceled the request in flight: %v", ctx.Err())
		}
		return answer.Answer{Question: req.Question, Text: "完成", Answerable: true}, nil
	}}})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()

	type result struct {
		status int
		body   string
		err    error
	}
	got := make(chan result, 1)
	go func() {
		res, err := http.Post("http://"+addr+"/v1/ask", "application/json", strings.NewReader(`{"question":"中美关系"}`))
		if err != nil {
			got <- result{err: err}
			return
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		got <- result{res.StatusCode, string(b), err}
	}()

	<-entered
	stop()
	// Wait until the listener is closed: the shutdown has begun.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the server still accepts connections after shutdown began")
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(release)

	r := <-got
	if r.err != nil || r.status != 200 || !strings.Contains(r.body, "完成") {
		t.Fatalf("in-flight request: status %d, err %v, body %s", r.status, r.err, r.body)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
}

// TestShutdownDeadline checks that a request that outlives the grace period
// does not hold the process forever.
func TestShutdownDeadline(t *testing.T) {
	entered := make(chan struct{})
	s := New(Options{Logger: slog.New(slog.DiscardHandler), ShutdownTimeout: 50 * time.Millisecond})
	ix := realIndex(t)
	s.Ready(Backend{Searcher: ix, Library: ix, Asker: &fakeAsker{ask: func(ctx context.Context, _ answer.Request) (answer.Answer, error) {
		close(entered)
		<-ctx.Done()
		return answer.Answer{}, ctx.Err()
	}}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	go func() {
		res, err := http.Post("http://"+ln.Addr().String()+"/v1/ask", "application/json", strings.NewReader(`{"question":"中美关系"}`))
		if err == nil {
			res.Body.Close()
		}
	}()
	<-entered
	stop()
	select {
	case err := <-served:
		if err == nil {
			t.Error("Serve reported a clean shutdown although a request was cut off")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after the shutdown deadline")
	}
}
