package main

import (
	"io"
	"strings"
	"testing"

	"wenda/index/weaviate"
)

func TestConfigWeaviateQuantization(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	cases := []struct {
		name string
		args []string
		env  func(string) string
		want weaviate.Quantization
	}{
		{"default", nil, env(), weaviate.QuantizationNone},
		{"env", nil, env("WENDA_WEAVIATE_QUANTIZATION", "bq"), weaviate.QuantizationBQ},
		{"flag", []string{"--weaviate-quantization", "pq"}, env(), weaviate.QuantizationPQ},
		{"flag over env", []string{"--weaviate-quantization", "rq"}, env("WENDA_WEAVIATE_QUANTIZATION", "sq"), weaviate.QuantizationRQ},
		{"none", []string{"--weaviate-quantization", "none"}, env("WENDA_WEAVIATE_QUANTIZATION", "bq"), weaviate.QuantizationNone},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, _, err := ParseConfig("serve", c.args, c.env, io.Discard, nil)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.WeaviateQuantization != c.want {
				t.Errorf("quantization %q, want %q", cfg.WeaviateQuantization, c.want)
			}
			if got := (&Env{Cfg: cfg}).weaviateConfig().Quantization; got != c.want {
				t.Errorf("weaviate.Config.Quantization %q, want %q", got, c.want)
			}
		})
	}
	for _, c := range []struct {
		args []string
		env  func(string) string
	}{
		{[]string{"--weaviate-quantization", "lz4"}, env()},
		{nil, env("WENDA_WEAVIATE_QUANTIZATION", "PQ")},
	} {
		_, _, err := ParseConfig("serve", c.args, c.env, io.Discard, nil)
		if err == nil {
			t.Fatalf("%v: accepted", c.args)
		}
		for _, want := range []string{"--weaviate-quantization", "none, pq, bq, sq, rq"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %q", err, want)
			}
		}
	}
}
