package weaviate

import (
	"fmt"
	"strings"
)

// Quantization is how the HNSW index of a new collection's chunks
// compresses its vectors, so that a node keeps in memory a fraction of
// their float32 size. The kinds are those of the Weaviate server the
// project runs (v1.35); each is the server's default apart from what is
// said here.
type Quantization string

const (
	// QuantizationNone keeps the vectors uncompressed, as before the
	// option existed. A server started with DEFAULT_QUANTIZATION still
	// applies its own default to the classes it creates; the collection's
	// info reports what the class ended up with.
	QuantizationNone Quantization = "none"
	// QuantizationPQ is product quantization: 256 centroids per segment,
	// segments chosen by the server from the dimension. PQ must learn its
	// codebook first: a shard is compressed once it holds more than
	// pqTrainingLimit vectors, and only on servers run with
	// ASYNC_INDEXING=true (the trigger lives in the asynchronous indexing
	// queue); on others the class says PQ but its vectors stay whole.
	QuantizationPQ Quantization = "pq"
	// QuantizationBQ is binary quantization: one bit a dimension (32x
	// smaller), from the first vector on; the server rescores the
	// candidates with the full vectors, which it reads from disk.
	QuantizationBQ Quantization = "bq"
	// QuantizationSQ is scalar quantization: one byte a dimension (4x),
	// trained like PQ (sqTrainingLimit vectors, asynchronous indexing
	// only), rescoring the best rescoreLimit candidates.
	QuantizationSQ Quantization = "sq"
	// QuantizationRQ is 8-bit rotational quantization (4x): it needs no
	// training, so it compresses from the first vector on, with any
	// indexing mode, and rescores the best rescoreLimit candidates.
	QuantizationRQ Quantization = "rq"
)

// A collection keeps the quantization it was created with: the engine
// never updates an existing class. The v1.35 server would let a class
// update enable compression on an uncompressed index, but an index once
// compressed keeps its compressor whatever the class then says, and RQ's
// bits cannot change.

// Quantizations lists the accepted values, QuantizationNone first.
var Quantizations = []Quantization{QuantizationNone, QuantizationPQ, QuantizationBQ, QuantizationSQ, QuantizationRQ}

// Training sizes and rescoring depth: Weaviate's defaults, written out so
// that a server with other defaults creates the same classes.
const (
	pqTrainingLimit = 100000
	sqTrainingLimit = 100000
	rescoreLimit    = 20
)

// ParseQuantization reads a Quantization; "" is QuantizationNone.
func ParseQuantization(s string) (Quantization, error) {
	if s == "" {
		return QuantizationNone, nil
	}
	for _, q := range Quantizations {
		if string(q) == s {
			return q, nil
		}
	}
	names := make([]string, len(Quantizations))
	for i, q := range Quantizations {
		names[i] = string(q)
	}
	return "", fmt.Errorf("quantization %q: want %s", s, strings.Join(names, ", "))
}

// vectorIndexConfig is the HNSW configuration of a new chunk class: cosine,
// as the embedded engine scores vectors, and q's compression.
func vectorIndexConfig(q Quantization) map[string]any {
	cfg := map[string]any{"distance": "cosine"}
	switch q {
	case QuantizationPQ:
		cfg["pq"] = map[string]any{"enabled": true, "trainingLimit": pqTrainingLimit}
	case QuantizationBQ:
		cfg["bq"] = map[string]any{"enabled": true}
	case QuantizationSQ:
		cfg["sq"] = map[string]any{"enabled": true, "trainingLimit": sqTrainingLimit, "rescoreLimit": rescoreLimit}
	case QuantizationRQ:
		cfg["rq"] = map[string]any{"enabled": true, "bits": 8, "rescoreLimit": rescoreLimit}
	}
	return cfg
}

// quantizationOf reads which compression a class's vector index has
// enabled, as the server returns the class: "none", "pq", "bq", "sq",
// "rq", or "rq-1" for 1-bit rotational quantization (which a server's
// DEFAULT_QUANTIZATION may choose).
func quantizationOf(vectorIndexConfig any) string {
	m, _ := vectorIndexConfig.(map[string]any)
	for _, kind := range []string{"pq", "bq", "sq", "rq"} {
		sub, _ := m[kind].(map[string]any)
		if on, _ := sub["enabled"].(bool); !on {
			continue
		}
		if kind == "rq" {
			if bits, ok := sub["bits"].(float64); ok && bits == 1 {
				return "rq-1"
			}
		}
		return kind
	}
	return string(QuantizationNone)
}
