package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"

	"wenda/chunk"
	"wenda/embed"
	"wenda/index/weaviate"
	"wenda/retrieval"
)

// Config is every setting of wenda, read once from flags and WENDA_*
// environment variables (flags win) and passed down from here.
type Config struct {
	DataDir   string // index location
	ReadOnly  bool   // open the data directory without writing to it
	CorpusDir string // a folder of files to index; empty: the embedded corpus
	// CacheDir keeps the PDF engine's compiled code; empty: <DataDir>/cache.
	CacheDir string
	// Engine is where collections live: "embedded" (in DataDir) or
	// "weaviate" (a Weaviate cluster, the Weaviate* settings).
	Engine              string
	WeaviateURL         string
	WeaviateGRPC        string
	WeaviateConsistency string
	WeaviateReplicas    int
	WeaviatePrefix      string
	WeaviateBlockMax    string // "refuse" or "allow"
	// WeaviateQuantization is the vector compression of collections
	// created from now on; validate checks it.
	WeaviateQuantization weaviate.Quantization

	Embedder      string // "hash" (offline, default) or "openai"
	EmbedDim      int
	EmbedBaseURL  string
	EmbedAPIKey   string
	EmbedModel    string
	ChunkRunes    int
	OverlapRunes  int
	Fusion        string
	RRFK          float64
	BM25Weight    float64
	RerankBaseURL string
	RerankAPIKey  string
	RerankModel   string

	LLMBaseURL string
	LLMAPIKey  string
	LLMModel   string
	LLMTimeout time.Duration
	// LLMFirstToken bounds the wait for a streamed reply's first piece,
	// LLMIdle the wait between pieces; a stream as a whole is bounded
	// only by the request's own deadline.
	LLMFirstToken    time.Duration
	LLMIdle          time.Duration
	LLMRetries       int
	LLMFallback      bool
	ContextRunes     int
	MinAnswerability float64

	K        int
	Mode     retrieval.Mode // parsed from modeName
	modeName string

	APIKeys     string // "name:role:collections:key" entries
	APIKeysFile string
	AdminKey    string

	UploadMaxMiB   int
	UploadMaxFiles int
	IngestWorkers  int
	IngestLease    time.Duration
	// UploadsDSN puts the upload store in PostgreSQL, shared by every
	// process of a deployment; empty: in the data directory.
	UploadsDSN string

	// Server and ServerKey make the collection and add commands talk to a
	// running server instead of opening the data directory.
	Server    string
	ServerKey string

	Addr            string
	MetricsAddr     string // a separate listener for /metrics; empty: none
	RequestTimeout  time.Duration
	ShutdownTimeout time.Duration
	WriteTimeout    time.Duration
	RateLimit       float64
	RateBurst       int
	MaxConcurrent   int
	corsOrigins     string
	CORSOrigins     []string // parsed from corsOrigins
	trustedProxies  string
	TrustedProxies  []string // parsed from trustedProxies
	LogLevel        string
	LogFormat       string
}

// setting binds one Config field to a flag and an environment variable.
type setting struct {
	flag, env, usage string
	bind             func(fs *flag.FlagSet, name, usage string)
	fromEnv          func(v string) error
}

var errHelp = errors.New("help requested")

func settings(c *Config, getenv func(string) string) []setting {
	str := func(p *string, name, env, def, usage string) setting {
		*p = def
		return setting{name, env, usage,
			func(fs *flag.FlagSet, n, u string) { fs.StringVar(p, n, *p, u) },
			func(v string) error { *p = v; return nil }}
	}
	num := func(p *int, name, env string, def int, usage string) setting {
		*p = def
		return setting{name, env, usage,
			func(fs *flag.FlagSet, n, u string) { fs.IntVar(p, n, *p, u) },
			func(v string) (err error) { *p, err = strconv.Atoi(v); return }}
	}
	flt := func(p *float64, name, env string, def float64, usage string) setting {
		*p = def
		return setting{name, env, usage,
			func(fs *flag.FlagSet, n, u string) { fs.Float64Var(p, n, *p, u) },
			func(v string) (err error) { *p, err = strconv.ParseFloat(v, 64); return }}
	}
	boolean := func(p *bool, name, env string, def bool, usage string) setting {
		*p = def
		return setting{name, env, usage,
			func(fs *flag.FlagSet, n, u string) { fs.BoolVar(p, n, *p, u) },
			func(v string) (err error) { *p, err = strconv.ParseBool(v); return }}
	}
	dur := func(p *time.Duration, name, env string, def time.Duration, usage string) setting {
		*p = def
		return setting{name, env, usage,
			func(fs *flag.FlagSet, n, u string) { fs.DurationVar(p, n, *p, u) },
			func(v string) (err error) { *p, err = time.ParseDuration(v); return }}
	}
	llmKey := getenv("WENDA_LLM_API_KEY")
	if llmKey == "" {
		llmKey = getenv("OPENAI_API_KEY")
	}
	return []setting{
		str(&c.DataDir, "data", "WENDA_DATA_DIR", "wenda-data", "directory holding the index"),
		boolean(&c.ReadOnly, "read-only", "WENDA_READ_ONLY", false, "open the data directory without writing to it (a read-only volume): serve the index as it is"),
		str(&c.CorpusDir, "corpus", "WENDA_CORPUS_DIR", "", "folder of files to index: text, Markdown, HTML, PDF, DOCX, PPTX, XLSX (default: the built-in corpus)"),
		str(&c.CacheDir, "cache-dir", "WENDA_CACHE_DIR", "", "where the PDF engine keeps its compiled code (default: <data>/cache)"),
		str(&c.Engine, "engine", "WENDA_ENGINE", "embedded", "where collections live: embedded (in the data directory) or weaviate (a Weaviate cluster)"),
		str(&c.WeaviateURL, "weaviate-url", "WENDA_WEAVIATE_URL", "", "HTTP address of a Weaviate node or of a load balancer in front of the nodes, e.g. http://127.0.0.1:8080"),
		str(&c.WeaviateGRPC, "weaviate-grpc", "WENDA_WEAVIATE_GRPC", "", "host:port of Weaviate's gRPC listener (default: the URL's host, port 50051)"),
		str(&c.WeaviateConsistency, "weaviate-consistency", "WENDA_WEAVIATE_CONSISTENCY", "QUORUM", "consistency of Weaviate reads and writes: ONE, QUORUM or ALL"),
		num(&c.WeaviateReplicas, "weaviate-replicas", "WENDA_WEAVIATE_REPLICAS", 0, "replication factor of new collections (0: min(3, nodes in the cluster))"),
		str(&c.WeaviatePrefix, "weaviate-prefix", "WENDA_WEAVIATE_PREFIX", "Wenda", "start of the names of wenda's Weaviate collections, so that deployments can share a cluster"),
		str((*string)(&c.WeaviateQuantization), "weaviate-quantization", "WENDA_WEAVIATE_QUANTIZATION", "none", "vector compression of new Weaviate collections: none, pq, bq, sq or rq (existing collections keep theirs; pq and sq compress only once a shard holds 100000 vectors, on nodes run with ASYNC_INDEXING=true)"),
		str(&c.WeaviateBlockMax, "weaviate-blockmax", "WENDA_WEAVIATE_BLOCKMAX", "refuse", "refuse or allow a Weaviate server that scores BM25 with BlockMax WAND (it drops matches in v1.35; start Weaviate with USE_INVERTED_SEARCHABLE=false)"),
		str(&c.Embedder, "embedder", "WENDA_EMBEDDER", "hash", "embedder: hash (offline) or openai (an OpenAI-compatible /embeddings endpoint)"),
		num(&c.EmbedDim, "embed-dim", "WENDA_EMBED_DIM", embed.DefaultHashDim, "vector size of the offline hash embedder"),
		str(&c.EmbedBaseURL, "embed-url", "WENDA_EMBED_BASE_URL", "", "base URL of the embeddings endpoint (default: the LLM base URL)"),
		str(&c.EmbedAPIKey, "embed-key", "WENDA_EMBED_API_KEY", "", "API key of the embeddings endpoint (default: the LLM key)"),
		str(&c.EmbedModel, "embed-model", "WENDA_EMBED_MODEL", "text-embedding-3-small", "embedding model"),
		num(&c.ChunkRunes, "chunk-runes", "WENDA_CHUNK_RUNES", chunk.Default.MaxRunes, "largest chunk, in characters"),
		num(&c.OverlapRunes, "overlap-runes", "WENDA_OVERLAP_RUNES", chunk.Default.OverlapRunes, "overlap between chunks, in characters of whole sentences"),
		str(&c.Fusion, "fusion", "WENDA_FUSION", retrieval.DefaultFusion.Method, "hybrid fusion: rrf or weighted"),
		flt(&c.RRFK, "rrf-k", "WENDA_RRF_K", retrieval.DefaultFusion.RRFK, "k of reciprocal-rank fusion"),
		flt(&c.BM25Weight, "bm25-weight", "WENDA_BM25_WEIGHT", retrieval.DefaultFusion.BM25Weight, "share of BM25 in hybrid fusion, 0..1"),
		str(&c.RerankBaseURL, "rerank-url", "WENDA_RERANK_BASE_URL", "", "base URL of a /rerank endpoint (optional)"),
		str(&c.RerankAPIKey, "rerank-key", "WENDA_RERANK_API_KEY", "", "API key of the rerank endpoint"),
		str(&c.RerankModel, "rerank-model", "WENDA_RERANK_MODEL", "", "rerank model"),
		str(&c.LLMBaseURL, "llm-url", "WENDA_LLM_BASE_URL", "", "base URL of an OpenAI-compatible chat endpoint; empty: offline extractive answers"),
		str(&c.LLMAPIKey, "llm-key", "WENDA_LLM_API_KEY", llmKey, "API key of the chat endpoint (falls back to OPENAI_API_KEY)"),
		str(&c.LLMModel, "llm-model", "WENDA_LLM_MODEL", "gpt-4o-mini", "chat model"),
		dur(&c.LLMTimeout, "llm-timeout", "WENDA_LLM_TIMEOUT", 60*time.Second, "timeout of one non-streamed model call (a rewrite, a whole answer)"),
		dur(&c.LLMFirstToken, "llm-first-token-timeout", "WENDA_LLM_FIRST_TOKEN_TIMEOUT", 30*time.Second, "how long a streamed answer may take to start"),
		dur(&c.LLMIdle, "llm-idle-timeout", "WENDA_LLM_IDLE_TIMEOUT", 30*time.Second, "how long a streamed answer may pause between pieces"),
		num(&c.LLMRetries, "llm-retries", "WENDA_LLM_RETRIES", 2, "retries on 429/5xx before the first token"),
		boolean(&c.LLMFallback, "llm-fallback", "WENDA_LLM_FALLBACK", true, "when the LLM fails before answering, give the extractive answer marked as a fallback instead of an error"),
		num(&c.ContextRunes, "context-runes", "WENDA_CONTEXT_RUNES", 6000, "passage budget of one prompt, in characters"),
		flt(&c.MinAnswerability, "min-answerability", "WENDA_MIN_ANSWERABILITY", -1, "refuse when the estimated probability that the passages answer is below this (default: the trained model's threshold)"),
		num(&c.K, "k", "WENDA_K", 5, "passages per question"),
		str(&c.modeName, "mode", "WENDA_MODE", "hybrid", "retrieval mode: bm25, vector or hybrid"),
		str(&c.APIKeys, "api-keys", "WENDA_API_KEYS", "", `API keys, "name:role:collections:key" separated by ";" or new lines (role admin, editor or reader; collections comma-separated or *; key in clear or sha256:<hex>); when set, every request needs a key`),
		str(&c.APIKeysFile, "api-keys-file", "WENDA_API_KEYS_FILE", "", "file of API keys, one name:role:collections:key a line (# comments)"),
		str(&c.AdminKey, "admin-key", "WENDA_ADMIN_KEY", "", "the admin key (default: one generated on first start, kept hashed in the data directory)"),
		num(&c.UploadMaxMiB, "upload-max-mib", "WENDA_UPLOAD_MAX_MIB", 64, "largest file an upload may bring, in MiB (413 above)"),
		num(&c.UploadMaxFiles, "upload-max-files", "WENDA_UPLOAD_MAX_FILES", 100, "most files one upload request may bring (413 above)"),
		num(&c.IngestWorkers, "ingest-workers", "WENDA_INGEST_WORKERS", max(1, runtime.NumCPU()/2), "uploaded documents ingested at once"),
		dur(&c.IngestLease, "ingest-lease", "WENDA_INGEST_LEASE", 2*time.Minute, "how long an ingestion job stays with a process that stopped renewing it (one that died) before another process takes it over"),
		str(&c.UploadsDSN, "uploads-dsn", "WENDA_UPLOADS_DSN", "", "PostgreSQL database for the uploads (files, their status and the ingestion jobs) shared by several wenda processes, e.g. postgres://wenda@db:5432/wenda (needs --engine weaviate; prefer the environment variable, a flag shows in ps); default: in the data directory"),
		str(&c.Server, "server", "WENDA_SERVER", "", "URL of a running wenda server for collections and add (default: work on the data directory)"),
		str(&c.ServerKey, "key", "WENDA_API_KEY", "", "API key sent to --server"),
		str(&c.Addr, "addr", "WENDA_ADDR", "127.0.0.1:8080", "HTTP listen address (:8080 listens on every interface)"),
		str(&c.MetricsAddr, "metrics-addr", "WENDA_METRICS_ADDR", "", "a separate listen address for /metrics, e.g. 127.0.0.1:9090 (on the main address /metrics needs the admin key)"),
		dur(&c.RequestTimeout, "request-timeout", "WENDA_REQUEST_TIMEOUT", 120*time.Second, "limit on one HTTP request"),
		dur(&c.WriteTimeout, "write-timeout", "WENDA_WRITE_TIMEOUT", 30*time.Second, "limit on each write of a response to a client that does not read"),
		flt(&c.RateLimit, "rate-limit", "WENDA_RATE_LIMIT", 10, "requests per second each client (API key or address) may make to /v1; 0 turns the limit off"),
		num(&c.RateBurst, "rate-burst", "WENDA_RATE_BURST", 30, "requests a client may make at once above the rate"),
		num(&c.MaxConcurrent, "max-concurrent", "WENDA_MAX_CONCURRENT", 64, "requests to /v1 served at once; 0 means no cap"),
		str(&c.corsOrigins, "cors-origins", "WENDA_CORS_ORIGINS", "", "comma-separated origins whose pages may call the API from a browser (e.g. https://chat.example.com; * for any); default none"),
		str(&c.trustedProxies, "trusted-proxies", "WENDA_TRUSTED_PROXIES", "", "comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For names the client"),
		dur(&c.ShutdownTimeout, "shutdown-timeout", "WENDA_SHUTDOWN_TIMEOUT", 20*time.Second, "grace period for requests in flight at shutdown"),
		str(&c.LogLevel, "log-level", "WENDA_LOG_LEVEL", "info", "log level: debug, info, warn, error"),
		str(&c.LogFormat, "log-format", "WENDA_LOG_FORMAT", "text", "log format: text or json"),
	}
}

// ParseConfig fills a Config from the environment, then from the flags in
// args; it returns the arguments left after the flags. Flags may come
// after positional arguments ("wenda search 问题 -k 3"). extra, when not
// nil, adds the subcommand's own flags to the set before parsing.
func ParseConfig(cmd string, args []string, getenv func(string) string, stderr io.Writer, extra func(fs *flag.FlagSet)) (*Config, []string, error) {
	c := &Config{}
	ss := settings(c, getenv)
	for _, s := range ss {
		if v := getenv(s.env); v != "" {
			if err := s.fromEnv(v); err != nil {
				return nil, nil, fmt.Errorf("%s=%q: %w", s.env, v, err)
			}
		}
	}
	fs := flag.NewFlagSet("wenda "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	for _, s := range ss {
		s.bind(fs, s.flag, s.usage+" ($"+s.env+")")
	}
	if extra != nil {
		extra(fs)
	}
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, nil, errHelp
			}
			return nil, nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if err := c.validate(); err != nil {
		return nil, nil, err
	}
	return c, rest, nil
}

func (c *Config) validate() error {
	switch c.Engine {
	case "embedded":
	case "weaviate":
		if c.WeaviateURL == "" {
			return errors.New("--engine weaviate needs --weaviate-url (WENDA_WEAVIATE_URL), e.g. http://127.0.0.1:8080")
		}
	default:
		return fmt.Errorf("--engine %q: want embedded or weaviate", c.Engine)
	}
	switch c.WeaviateBlockMax {
	case "refuse", "allow":
	default:
		return fmt.Errorf("--weaviate-blockmax %q: want refuse or allow", c.WeaviateBlockMax)
	}
	q, err := weaviate.ParseQuantization(string(c.WeaviateQuantization))
	if err != nil {
		return fmt.Errorf("--weaviate-quantization (WENDA_WEAVIATE_QUANTIZATION): %w", err)
	}
	c.WeaviateQuantization = q
	switch c.Embedder {
	case "hash", "openai":
	default:
		return fmt.Errorf("--embedder %q: want hash or openai", c.Embedder)
	}
	if c.UploadsDSN != "" && c.Engine != "weaviate" {
		// Each embedded process has an index of its own: a process would
		// take jobs for collections only another one holds.
		return errors.New("--uploads-dsn (WENDA_UPLOADS_DSN) shares uploads between processes that share an index: it needs --engine weaviate")
	}
	if c.IngestLease < 3*time.Second {
		return errors.New("--ingest-lease must be at least 3s")
	}
	if c.UploadMaxMiB < 1 || c.UploadMaxFiles < 1 || c.IngestWorkers < 1 {
		return errors.New("--upload-max-mib, --upload-max-files and --ingest-workers must be at least 1")
	}
	if c.K <= 0 || c.K > 50 {
		return fmt.Errorf("-k %d: want 1..50", c.K)
	}
	m, err := retrieval.ParseMode(c.modeName)
	if err != nil {
		return fmt.Errorf("--mode: %w", err)
	}
	c.Mode = m
	c.CORSOrigins = splitList(c.corsOrigins)
	for i, o := range c.CORSOrigins {
		o = strings.TrimRight(o, "/")
		c.CORSOrigins[i] = o
		if o == "*" {
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			return fmt.Errorf("--cors-origins: %q is not an origin; write it as scheme://host[:port], e.g. https://chat.example.com", o)
		}
	}
	c.TrustedProxies = splitList(c.trustedProxies)
	for _, p := range c.TrustedProxies {
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			return fmt.Errorf("--trusted-proxies: %q is neither an address nor a CIDR range", p)
		}
	}
	if c.RateLimit > 0 && c.RateBurst < 1 {
		return fmt.Errorf("--rate-burst %d: want at least 1 when --rate-limit is on", c.RateBurst)
	}
	return nil
}

// splitList splits a comma-separated setting, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
