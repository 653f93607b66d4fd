package auth

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
)

// Errors of Authenticate; the HTTP layer answers both with 401.
var (
	ErrNoKey      = errors.New("no API key")
	ErrInvalidKey = errors.New("invalid API key")
)

// MinKeyLength is the shortest key an operator may set: shorter ones can
// be guessed.
const MinKeyLength = 16

// hashPrefix marks a key given as its SHA-256 hash instead of in clear.
const hashPrefix = "sha256:"

// Config is where the keys come from. Every field may be empty.
type Config struct {
	// Keys lists keys, one entry per line or separated by ";", each
	// "name:role:collections:key" with collections comma-separated or "*";
	// key is the key itself or "sha256:" and its hash in hex.
	Keys string
	// KeysFile is a file holding entries in the same form, one per line;
	// blank lines and lines starting with # are skipped.
	KeysFile string
	// AdminKey is the admin key itself.
	AdminKey string
	// DataDir holds the generated admin key's hash when the operator sets
	// no admin key.
	DataDir string
}

// entry is one key as the keyring holds it.
type entry struct {
	hash [sha256.Size]byte
	key  Key
}

// Keyring authenticates API keys. It is safe for concurrent use.
type Keyring struct {
	entries   []entry
	openReads bool
	// generated is the data directory's admin key file, when the admin
	// key is the generated one; it is re-read when it changes, so that a
	// reset takes effect without a restart.
	generated string

	mu      sync.Mutex
	adminAt os.FileInfo
	admin   *entry
}

// Open builds the keyring from cfg. When no admin key is configured, it
// uses the data directory's generated one, creating it on first start;
// created is then the new key in clear, which the caller shows the
// operator once: it is stored only as a hash.
func Open(cfg Config) (k *Keyring, created string, err error) {
	k = &Keyring{}
	if err := k.add(cfg.Keys, "WENDA_API_KEYS"); err != nil {
		return nil, "", err
	}
	if cfg.KeysFile != "" {
		b, err := os.ReadFile(cfg.KeysFile)
		if err != nil {
			return nil, "", fmt.Errorf("read keys file: %w", err)
		}
		if err := k.add(string(b), cfg.KeysFile); err != nil {
			return nil, "", err
		}
	}
	k.openReads = len(k.entries) == 0
	if cfg.AdminKey != "" {
		e, err := newEntry("admin", RoleAdmin, []string{AllCollections}, cfg.AdminKey)
		if err != nil {
			return nil, "", fmt.Errorf("WENDA_ADMIN_KEY: %w", err)
		}
		k.entries = append(k.entries, e)
	}
	if k.hasAdmin() {
		return k, "", nil
	}
	if cfg.DataDir == "" {
		return nil, "", errors.New("no admin key: set one, or give a data directory to keep a generated one in")
	}
	k.generated = adminKeyPath(cfg.DataDir)
	if _, err := os.Stat(k.generated); errors.Is(err, os.ErrNotExist) {
		if created, err = ResetAdminKey(cfg.DataDir); err != nil {
			return nil, "", err
		}
	}
	if _, err := k.generatedAdmin(); err != nil {
		return nil, "", err
	}
	return k, created, nil
}

// Parse builds a keyring from entries in the form Config.Keys describes,
// with no generated admin key.
func Parse(keys string) (*Keyring, error) {
	k := &Keyring{}
	if err := k.add(keys, "keys"); err != nil {
		return nil, err
	}
	k.openReads = len(k.entries) == 0
	return k, nil
}

// OpenReads reports whether requests that only read need no key: so it is
// when the operator listed no keys.
func (k *Keyring) OpenReads() bool { return k.openReads }

// Generated reports whether the admin key is the one wenda generated and
// keeps in the data directory.
func (k *Keyring) Generated() bool { return k.generated != "" }

// Names lists the configured keys without their secrets, for the log.
func (k *Keyring) Names() []Key {
	out := make([]Key, len(k.entries))
	for i, e := range k.entries {
		out[i] = e.key
	}
	return out
}

// Authenticate finds the key whose hash matches token. Every configured
// hash is compared, in constant time, whichever matches.
func (k *Keyring) Authenticate(token string) (Key, error) {
	if token == "" {
		return Key{}, ErrNoKey
	}
	h := sha256.Sum256([]byte(token))
	var found *entry
	for i := range k.entries {
		if subtle.ConstantTimeCompare(h[:], k.entries[i].hash[:]) == 1 {
			found = &k.entries[i]
		}
	}
	if k.generated != "" {
		admin, err := k.generatedAdmin()
		if err != nil {
			return Key{}, err
		}
		if subtle.ConstantTimeCompare(h[:], admin.hash[:]) == 1 {
			found = admin
		}
	}
	if found == nil {
		return Key{}, ErrInvalidKey
	}
	return found.key, nil
}

func (k *Keyring) hasAdmin() bool {
	for _, e := range k.entries {
		if e.key.Role == RoleAdmin {
			return true
		}
	}
	return false
}

// generatedAdmin returns the generated admin key's entry, reading its
// file again when it changed since the last look.
func (k *Keyring) generatedAdmin() (*entry, error) {
	fi, err := os.Stat(k.generated)
	if err != nil {
		return nil, fmt.Errorf("admin key: %w", err)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	// A reset renames a new file into place, so the file is another one.
	if k.admin != nil && os.SameFile(fi, k.adminAt) && fi.ModTime().Equal(k.adminAt.ModTime()) {
		return k.admin, nil
	}
	b, err := os.ReadFile(k.generated)
	if err != nil {
		return nil, fmt.Errorf("admin key: %w", err)
	}
	h, err := parseHash(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("admin key file %s: %w", k.generated, err)
	}
	k.admin = &entry{hash: h, key: Key{Name: "admin", Role: RoleAdmin, Collections: []string{AllCollections}}}
	k.adminAt = fi
	return k.admin, nil
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// add parses entries from text; where names the source in errors, which
// never quote a key.
func (k *Keyring) add(text, where string) error {
	seen := map[string]bool{}
	for _, e := range k.entries {
		seen[e.key.Name] = true
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	line := 0
	for sc.Scan() {
		line++
		for _, item := range strings.Split(sc.Text(), ";") {
			item = strings.TrimSpace(item)
			if item == "" || strings.HasPrefix(item, "#") {
				continue
			}
			e, err := parseEntry(item)
			if err != nil {
				return fmt.Errorf("%s, line %d: %w", where, line, err)
			}
			if seen[e.key.Name] {
				return fmt.Errorf("%s, line %d: key name %q is used twice", where, line, e.key.Name)
			}
			seen[e.key.Name] = true
			k.entries = append(k.entries, e)
		}
	}
	return sc.Err()
}

// parseEntry reads "name:role:collections:key".
func parseEntry(s string) (entry, error) {
	parts := strings.SplitN(s, ":", 4)
	if len(parts) != 4 {
		return entry{}, errors.New(`want name:role:collections:key, e.g. "alice:editor:reports,news:<key>"`)
	}
	name, roleName, colls, secret := parts[0], parts[1], parts[2], parts[3]
	if !nameRE.MatchString(name) {
		return entry{}, fmt.Errorf("key name %q: use letters, digits, '.', '_', '@' or '-'", name)
	}
	role, err := ParseRole(roleName)
	if err != nil {
		return entry{}, fmt.Errorf("key %s: %w", name, err)
	}
	var list []string
	for _, c := range strings.Split(colls, ",") {
		if c = strings.TrimSpace(c); c != "" {
			list = append(list, c)
		}
	}
	if len(list) == 0 {
		if role != RoleAdmin {
			return entry{}, fmt.Errorf(`key %s: name its collections, or "*" for all`, name)
		}
		list = []string{AllCollections}
	}
	e, err := newEntry(name, role, list, secret)
	if err != nil {
		return entry{}, fmt.Errorf("key %s: %w", name, err)
	}
	return e, nil
}

func newEntry(name string, role Role, colls []string, secret string) (entry, error) {
	e := entry{key: Key{Name: name, Role: role, Collections: colls}}
	if strings.HasPrefix(secret, hashPrefix) {
		h, err := parseHash(secret)
		if err != nil {
			return entry{}, err
		}
		e.hash = h
		return e, nil
	}
	if n := len(secret); n < MinKeyLength {
		return entry{}, fmt.Errorf("the key has %d characters; use at least %d (openssl rand -hex 24 makes one)", n, MinKeyLength)
	}
	e.hash = sha256.Sum256([]byte(secret))
	return e, nil
}

// Hash returns the form in which a key can be listed without revealing it:
// "sha256:" and the hex of its SHA-256.
func Hash(key string) string {
	h := sha256.Sum256([]byte(key))
	return hashPrefix + hex.EncodeToString(h[:])
}

func parseHash(s string) ([sha256.Size]byte, error) {
	var h [sha256.Size]byte
	hexed, ok := strings.CutPrefix(s, hashPrefix)
	b, err := hex.DecodeString(hexed)
	if !ok || err != nil || len(b) != sha256.Size {
		return h, errors.New(`a hashed key is "sha256:" and 64 hex digits`)
	}
	copy(h[:], b)
	return h, nil
}
