// Package server is wenda's HTTP face: a versioned JSON API that answers
// questions with cited passages (whole or streamed as Server-Sent Events),
// an OpenAI-compatible chat endpoint so that existing SDKs and chat UIs can
// talk to wenda unchanged, the browsing endpoints a client needs to show a
// citation inside its article, health and Prometheus metrics, and a small
// web page embedded in the binary.
//
// The server starts before the index is loaded: until Ready is called,
// /readyz and every /v1 route answer 503, so that a fresh machine can build
// its index in the background while the process already listens.
package server
