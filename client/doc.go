// Package client talks to a running wenda server over its HTTP API: it
// manages collections, uploads files and follows their ingestion. The
// command line uses it for "wenda add --server" and "wenda collections
// --server"; any Go program can.
package client
