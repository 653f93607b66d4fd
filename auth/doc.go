// Package auth decides who may do what with an API key.
//
// A key has a name, a role and the collections it covers. An admin may do
// everything; an editor may read, upload and delete documents in its
// collections; a reader may ask and search in its collections. Keys are
// kept and compared only as SHA-256 hashes, in constant time, so neither
// memory nor a keys file needs to hold a usable key.
//
// When the operator lists no keys, reads are open to anyone and writes
// need the admin key: the one the operator set, or else one that wenda
// generates on first start and keeps, hashed, in the data directory.
package auth
