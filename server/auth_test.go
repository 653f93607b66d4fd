package server

import (
	"net/http"
	"strings"
	"testing"

	"wenda/auth"
)

// Keys of the tests: 16 characters or more, as the keyring requires.
const (
	adminKey   = "admin-key-0123456789"
	editorKey  = "editor-key-0123456789"
	readerKey  = "reader-key-0123456789"
	outsideKey = "outside-key-0123456789"
)

func testKeys(t *testing.T) *auth.Keyring {
	t.Helper()
	k, err := auth.Parse(strings.Join([]string{
		"root:admin:*:" + adminKey,
		"ed:editor:default:" + editorKey,
		"rd:reader:default,reports:" + auth.Hash(readerKey),
		"other:reader:reports:" + outsideKey,
	}, "\n"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func bearer(key string) map[string]string {
	if key == "" {
		return nil
	}
	return map[string]string{"Authorization": "Bearer " + key}
}

func TestReadsWithKeys(t *testing.T) {
	ts := newTestServer(t, failingAsker(t), Options{Keys: testKeys(t)})
	tests := []struct {
		name, key, header string
		status            int
		code              string
	}{
		{"no key", "", "", http.StatusUnauthorized, "key_required"},
		{"wrong key", "nope-0123456789abcdef", "", http.StatusUnauthorized, "key_invalid"},
		{"hash sent as key", auth.Hash(readerKey), "", http.StatusUnauthorized, "key_invalid"},
		{"basic auth", "", "Basic cmQ6cGFzcw==", http.StatusUnauthorized, "key_invalid"},
		{"reader of another collection", outsideKey, "", http.StatusForbidden, "forbidden"},
		{"reader", readerKey, "", http.StatusOK, ""},
		{"editor", editorKey, "", http.StatusOK, ""},
		{"admin", adminKey, "", http.StatusOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := bearer(tt.key)
			if tt.header != "" {
				h = map[string]string{"Authorization": tt.header}
			}
			res := do(t, http.MethodGet, ts.URL+"/v1/search?q=马德里会谈", "", h)
			if res.Status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.Status, tt.status, res.Body)
			}
			if tt.code == "" {
				return
			}
			if code := res.errorCode(t); code != tt.code {
				t.Errorf("code %q, want %q", code, tt.code)
			}
			if tt.status == http.StatusUnauthorized && !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("401 without a Bearer challenge: %q", res.Header.Get("WWW-Authenticate"))
			}
		})
	}
}

// With no keys listed, reads stay open, and a key an OpenAI client sends
// out of habit does not get in their way.
func TestOpenReads(t *testing.T) {
	keys, _, err := auth.Open(auth.Config{AdminKey: adminKey})
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, failingAsker(t), Options{Keys: keys})
	for _, key := range []string{"", "sk-not-a-wenda-key", adminKey} {
		res := do(t, http.MethodGet, ts.URL+"/v1/search?q=马德里会谈", "", bearer(key))
		if res.Status != http.StatusOK {
			t.Errorf("key %q: status %d: %s", key, res.Status, res.Body)
		}
	}
}
