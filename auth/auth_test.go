package auth

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAllows(t *testing.T) {
	admin := Key{Name: "root", Role: RoleAdmin}
	editor := Key{Name: "ed", Role: RoleEditor, Collections: []string{"reports", "news"}}
	everywhere := Key{Name: "all", Role: RoleEditor, Collections: []string{AllCollections}}
	reader := Key{Name: "rd", Role: RoleReader, Collections: []string{"reports"}}
	tests := []struct {
		key  Key
		act  Action
		coll string
		want bool
	}{
		{admin, Manage, "", true},
		{admin, Write, "anything", true},
		{editor, Write, "reports", true},
		{editor, Read, "news", true},
		{editor, Write, "default", false},
		{editor, Manage, "reports", false},
		{everywhere, Write, "created-later", true},
		{reader, Read, "reports", true},
		{reader, Read, "news", false},
		{reader, Write, "reports", false},
		{reader, Read, "", true}, // listing collections or models
	}
	for _, tt := range tests {
		if got := tt.key.Allows(tt.act, tt.coll); got != tt.want {
			t.Errorf("%s (%s) %s %q: %v, want %v", tt.key.Name, tt.key.Role, tt.act, tt.coll, got, tt.want)
		}
	}
}

func TestParse(t *testing.T) {
	const aliceKey = "alice-0123456789abcdef"
	bobKey := NewKey()
	k, err := Parse("# team keys\nalice:editor:reports,news:" + aliceKey + "\n\nbob:reader:*:" + Hash(bobKey) + " ; carol:admin::carol-0123456789abcdef")
	if err != nil {
		t.Fatal(err)
	}
	if k.OpenReads() {
		t.Error("reads are open although keys are listed")
	}
	tests := []struct {
		token string
		want  Key
		err   error
	}{
		{aliceKey, Key{"alice", RoleEditor, []string{"reports", "news"}}, nil},
		{bobKey, Key{"bob", RoleReader, []string{"*"}}, nil},
		{"carol-0123456789abcdef", Key{"carol", RoleAdmin, []string{"*"}}, nil},
		{"", Key{}, ErrNoKey},
		{aliceKey + "x", Key{}, ErrInvalidKey},
		{Hash(bobKey), Key{}, ErrInvalidKey}, // the hash is not the key
	}
	for _, tt := range tests {
		got, err := k.Authenticate(tt.token)
		if !errors.Is(err, tt.err) {
			t.Errorf("Authenticate(%q): err %v, want %v", tt.token, err, tt.err)
			continue
		}
		if got.Name != tt.want.Name || got.Role != tt.want.Role || strings.Join(got.Collections, ",") != strings.Join(tt.want.Collections, ",") {
			t.Errorf("Authenticate(%q) = %+v, want %+v", tt.token, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"alice:editor:reports", "want name:role:collections:key"},
		{"alice:owner:*:0123456789abcdef0", `role "owner"`},
		{"alice:editor::0123456789abcdef0", "name its collections"},
		{"alice:editor:*:short", "at least 16"},
		{"alice:editor:*:sha256:abcd", "64 hex digits"},
		{"al ice:editor:*:0123456789abcdef0", "key name"},
		{"a:reader:*:0123456789abcdef0\na:reader:*:0123456789abcdef1", "line 2: key name \"a\" is used twice"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q): %v, want an error with %q", tt.in, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "0123456789abcdef") {
			t.Errorf("Parse(%q): the error quotes the key: %v", tt.in, err)
		}
	}
}

func TestGeneratedAdminKey(t *testing.T) {
	dir := t.TempDir()
	k, created, err := Open(Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if created == "" || !k.Generated() || !k.OpenReads() {
		t.Fatalf("created %q, generated %v, open reads %v: want a new key, generated, open reads", created, k.Generated(), k.OpenReads())
	}
	path := filepath.Join(dir, adminKeyFile)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("admin key file mode %v, want 0600", fi.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), created) {
		t.Error("the admin key file holds the key in clear")
	}
	if key, err := k.Authenticate(created); err != nil || key.Role != RoleAdmin {
		t.Fatalf("the generated key: %+v, %v", key, err)
	}

	// A second start keeps the key and shows nothing new.
	k2, again, err := Open(Config{DataDir: dir})
	if err != nil || again != "" {
		t.Fatalf("second start: created %q, %v", again, err)
	}
	if _, err := k2.Authenticate(created); err != nil {
		t.Fatalf("second start refuses the key: %v", err)
	}

	// A reset takes effect in a running keyring.
	fresh, err := ResetAdminKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k2.Authenticate(created); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("old key after reset: %v, want ErrInvalidKey", err)
	}
	if _, err := k2.Authenticate(fresh); err != nil {
		t.Errorf("new key after reset: %v", err)
	}
}

func TestConfiguredAdminKey(t *testing.T) {
	dir := t.TempDir()
	const admin = "operator-chosen-admin-key"
	k, created, err := Open(Config{AdminKey: admin, DataDir: dir})
	if err != nil || created != "" || k.Generated() {
		t.Fatalf("created %q, generated %v, %v", created, k.Generated(), err)
	}
	if !k.OpenReads() {
		t.Error("an admin key alone closes reads; only listed keys should")
	}
	if _, err := os.Stat(filepath.Join(dir, adminKeyFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a key file was generated although the admin key is set: %v", err)
	}
	if key, err := k.Authenticate(admin); err != nil || key.Role != RoleAdmin {
		t.Errorf("admin key: %+v, %v", key, err)
	}
	if _, _, err := Open(Config{AdminKey: "short"}); err == nil || !strings.Contains(err.Error(), "WENDA_ADMIN_KEY") {
		t.Errorf("short admin key: %v", err)
	}

	// Listed keys that include an admin need no generated one.
	file := filepath.Join(dir, "keys")
	os.WriteFile(file, []byte("boss:admin:*:"+Hash("boss-key-0123456789")+"\n"), 0o600)
	k, created, err = Open(Config{KeysFile: file, DataDir: t.TempDir()})
	if err != nil || created != "" || k.Generated() || k.OpenReads() {
		t.Fatalf("keys file with an admin: created %q generated %v open %v err %v", created, k.Generated(), k.OpenReads(), err)
	}
	if _, err := k.Authenticate("boss-key-0123456789"); err != nil {
		t.Error(err)
	}
}
