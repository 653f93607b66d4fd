package auth

import (
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"

	"wenda/internal/durable"
)

// adminKeyFile is the generated admin key's hash inside the data directory.
const adminKeyFile = "admin-key.sha256"

func adminKeyPath(dataDir string) string { return filepath.Join(dataDir, adminKeyFile) }

// NewKey makes a random key: 128 bits in base32 after a recognisable
// prefix, so that secret scanners can spot one pasted where it should not be.
func NewKey() string { return "wenda_" + rand.Text() }

// ResetAdminKey makes a new admin key, keeps its hash (mode 0600) in the
// data directory in place of the old one, and returns the key. A running
// server takes the new key at its next request.
func ResetAdminKey(dataDir string) (string, error) {
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return "", fmt.Errorf("admin key: %w", err)
	}
	key := NewKey()
	if err := durable.WriteBytes(adminKeyPath(dataDir), 0o600, []byte(Hash(key)+"\n")); err != nil {
		return "", fmt.Errorf("admin key: %w", err)
	}
	return key, nil
}
