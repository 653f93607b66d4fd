package main

import (
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestDockerfile checks what the image promises: every base image is
// named in full (registry/namespace/name:tag), since podman and buildah
// do not guess a registry for short names, and the container listens on
// every interface (the binary's default is loopback only).
func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	from := regexp.MustCompile(`(?m)^FROM\s+(?:--platform=\S+\s+)?(\S+)`)
	full := regexp.MustCompile(`^[a-z0-9.-]+\.[a-z]{2,}(:[0-9]+)?/[a-z0-9._/-]+:[A-Za-z0-9._-]+$`)
	images := from.FindAllStringSubmatch(string(b), -1)
	if len(images) == 0 {
		t.Fatal("no FROM line")
	}
	for _, m := range images {
		if !full.MatchString(m[1]) {
			t.Errorf("FROM %s: not a fully qualified image name (registry/namespace/name:tag)", m[1])
		}
	}
	if !strings.Contains(string(b), "WENDA_ADDR=:8080") {
		t.Error("the image does not set WENDA_ADDR=:8080; the default listens on loopback only")
	}
	if !strings.Contains(string(b), "EXPOSE 8080") {
		t.Error("the image does not expose 8080")
	}
}

// TestSecureDefaults: the binary listens on loopback unless told
// otherwise, rate-limits /v1, allows no browser origin and bad settings
// are refused at start.
func TestSecureDefaults(t *testing.T) {
	none := func(string) string { return "" }
	cfg, _, err := ParseConfig("serve", nil, none, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:8080" || cfg.RateLimit <= 0 || cfg.MaxConcurrent <= 0 || len(cfg.CORSOrigins) != 0 || cfg.MetricsAddr != "" {
		t.Errorf("defaults addr %q rate %v max %d cors %v metrics %q", cfg.Addr, cfg.RateLimit, cfg.MaxConcurrent, cfg.CORSOrigins, cfg.MetricsAddr)
	}
	env := map[string]string{"WENDA_CORS_ORIGINS": "https://chat.example.com/, http://localhost:3000", "WENDA_ADDR": ":8080"}
	cfg, _, err = ParseConfig("serve", nil, func(k string) string { return env[k] }, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(cfg.CORSOrigins, " ") != "https://chat.example.com http://localhost:3000" || cfg.Addr != ":8080" {
		t.Errorf("origins %q addr %q", cfg.CORSOrigins, cfg.Addr)
	}
	for _, bad := range []map[string]string{
		{"WENDA_CORS_ORIGINS": "chat.example.com"},
		{"WENDA_CORS_ORIGINS": "https://chat.example.com/app"},
		{"WENDA_TRUSTED_PROXIES": "proxy.internal"},
		{"WENDA_RATE_BURST": "0"},
	} {
		if _, _, err := ParseConfig("serve", nil, func(k string) string { return bad[k] }, io.Discard, nil); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
