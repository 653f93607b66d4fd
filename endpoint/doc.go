// Package endpoint provides what every call to an external model service
// shares: a configured go-openai client for any OpenAI-compatible server
// (OpenAI, DeepSeek, Qwen, Ollama, vLLM), a per-attempt timeout, retry with
// exponential backoff on 429 and 5xx, and typed errors that let the HTTP
// layer answer 502, 503 or 504 with a clear message.
package endpoint
