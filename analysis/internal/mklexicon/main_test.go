package main

import (
	"strings"
	"testing"
)

// Lines of jieba's dict.txt, verbatim: a word, its frequency, its tag.
func TestWrite(t *testing.T) {
	dict := `于 106176 p
英国 14049 ns
任务 15213 n
表示 19238 v
朱熹 367 nr
雷根 3 nr
一千亿 4 m
`
	var b strings.Builder
	if err := write(&b, strings.NewReader(dict), "read from dict.txt"); err != nil {
		t.Fatal(err)
	}
	var got []string
	for line := range strings.Lines(b.String()) {
		if !strings.HasPrefix(line, "#") {
			got = append(got, strings.TrimSuffix(line, "\n"))
		}
	}
	want := []string{"于\tv", "任务\tn", "朱熹\tp", "英国\tp", "表示\tV"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("write = %q, want %q", got, want)
	}
}

func TestWriteRejectsABadFrequency(t *testing.T) {
	if err := write(&strings.Builder{}, strings.NewReader("英国 many ns\n"), "read from dict.txt"); err == nil {
		t.Error("write accepted a frequency that is no number")
	}
}
