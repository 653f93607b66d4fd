package bench

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"wenda/chunk"
)

func TestSynthesize(t *testing.T) {
	src, err := SeedSource()
	if err != nil {
		t.Fatal(err)
	}
	const want = 500
	docs := src.Synthesize(want, chunk.Default, DefaultShape, Seed)
	chunks := 0
	for i := range docs {
		chunks += len(chunk.Default.Split(&docs[i]))
	}
	if chunks < want || chunks > want+200 {
		t.Errorf("%d chunks, want at least %d and not far more", chunks, want)
	}
	again := src.Synthesize(want, chunk.Default, DefaultShape, Seed)
	if !reflect.DeepEqual(docs, again) {
		t.Error("the same seed gave different documents")
	}
	other := src.Synthesize(want, chunk.Default, DefaultShape, Seed+1)
	if reflect.DeepEqual(docs, other) {
		t.Error("another seed gave the same documents")
	}
	ids := map[string]bool{}
	for _, d := range docs {
		if ids[d.ID] {
			t.Errorf("duplicate id %s", d.ID)
		}
		ids[d.ID] = true
		text := []rune(d.Text)
		for _, s := range d.Sections {
			if s.Start < 0 || s.Start >= len(text) || !strings.HasPrefix(string(text[s.Start:]), s.Heading) {
				t.Errorf("%s: section %q does not start at rune %d", d.ID, s.Heading, s.Start)
			}
		}
		if d.Title == "" || d.Hash == "" || d.Date == "" || d.Script == "" {
			t.Errorf("%s: missing metadata: %+v", d.ID, d)
		}
	}
}

func TestPercentileAndMedian(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		var out []time.Duration
		for _, n := range ns {
			out = append(out, time.Duration(n)*time.Millisecond)
		}
		return out
	}
	tests := []struct {
		in       []time.Duration
		p        float64
		want     time.Duration
		describe string
	}{
		{ms(5, 1, 3, 2, 4), 0.5, 3 * time.Millisecond, "odd count"},
		{ms(1, 2, 3, 4), 0.5, 2 * time.Millisecond, "nearest rank, even count"},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 100), 0.99, 100 * time.Millisecond, "tail"},
		{nil, 0.5, 0, "no samples"},
	}
	for _, tt := range tests {
		if got := Percentile(tt.in, tt.p); got != tt.want {
			t.Errorf("%s: Percentile(%v, %v) = %v, want %v", tt.describe, tt.in, tt.p, got, tt.want)
		}
	}
	if got := Median([]float64{3, 1, 2, 10}); got != 2.5 {
		t.Errorf("Median = %v, want 2.5", got)
	}
}

func TestTable(t *testing.T) {
	var b strings.Builder
	tb := Table{Header: []string{"corpus", "chunks/s"}}
	tb.Add("seed", "917")
	tb.Add("100k", "1169")
	if err := tb.Write(&b); err != nil {
		t.Fatal(err)
	}
	want := "| corpus | chunks/s |\n| ------ | -------: |\n| seed   |      917 |\n| 100k   |     1169 |\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
