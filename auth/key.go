package auth

import (
	"fmt"
	"slices"
)

// Role is what a key may do.
type Role string

// The roles, from most to least powerful.
const (
	RoleAdmin  Role = "admin"
	RoleEditor Role = "editor"
	RoleReader Role = "reader"
)

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case RoleAdmin, RoleEditor, RoleReader:
		return r, nil
	}
	return "", fmt.Errorf("role %q: want admin, editor or reader", s)
}

// Action is the kind of thing a request does.
type Action int

// The actions a request may need.
const (
	// Read asks, searches and reads documents of a collection.
	Read Action = iota
	// Write uploads, replaces and deletes documents of a collection and
	// changes its metadata.
	Write
	// Manage creates and deletes collections and reads operator data
	// (metrics, feedback): admins only.
	Manage
)

func (a Action) String() string {
	switch a {
	case Read:
		return "read"
	case Write:
		return "write"
	}
	return "manage"
}

// AllCollections in a key's collections lets it into every collection,
// including those created later.
const AllCollections = "*"

// Key is who made a request: a key's name, role and collections. It never
// holds the key itself.
type Key struct {
	Name        string   `json:"name"`
	Role        Role     `json:"role"`
	Collections []string `json:"collections"`
}

// Covers reports whether the key is let into the collection. An empty
// collection stands for requests that touch no one collection (listing
// collections and models): every key may make those.
func (k Key) Covers(collection string) bool {
	if k.Role == RoleAdmin || collection == "" {
		return true
	}
	return slices.Contains(k.Collections, AllCollections) || slices.Contains(k.Collections, collection)
}

// Allows reports whether the key may do a to the collection.
func (k Key) Allows(a Action, collection string) bool {
	switch {
	case k.Role == RoleAdmin:
		return true
	case a == Manage:
		return false
	case a == Write && k.Role != RoleEditor:
		return false
	}
	return k.Covers(collection)
}
