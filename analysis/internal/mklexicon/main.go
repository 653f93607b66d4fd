// Command mklexicon writes analysis/lexicon.txt from a dictionary in
// jieba's format (a word, its frequency and its part of speech on each
// line):
//
//	go run ./analysis/internal/mklexicon [DICT] > analysis/lexicon.txt
//
// DICT is jieba's dict.txt (MIT). Without it, mklexicon reads the copy
// github.com/go-ego/gse v1.0.2 ships in data/dict/zh/s_1.txt, which "go mod
// download" fetches from the module proxy. It keeps the words found at least minFreq times,
// folded as wenda folds text, each with its class: v for a word that is
// not a noun (adjectives, adverbs, pronouns, particles, numerals, measure
// words, idioms), V for a verb (not a noun either), n for a common noun
// and p for a name (people, places, organisations, other proper nouns).
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"wenda/analysis"
)

// minFreq is the least frequency a word must have to be kept: the words
// above it are the common ones.
const minFreq = 100

// verb is jieba's tag of verbs, one of the verbal tags: those of the
// words that are not nouns; nouns are those of common nouns; every other
// tag names something.
const verb = "v"

var (
	verbal = strings.Fields("v vn vd vg a ad an ag d dg p c u uj ul ud ug uv uz r m q f t tg z b l i zg g o e y")
	nouns  = strings.Fields("n ng s")
)

func main() {
	if len(os.Args) > 2 {
		fmt.Fprintln(os.Stderr, "usage: mklexicon [DICT] > lexicon.txt")
		os.Exit(2)
	}
	var path, source string
	if len(os.Args) == 2 {
		path = os.Args[1]
		source = "read from " + filepath.Base(path)
	} else {
		dir, err := download(gse)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		path = filepath.Join(dir, gseDict)
		module, version, _ := strings.Cut(gse, "@")
		source = fmt.Sprintf("as %s %s (Apache-2.0) ships it: %s", module, version, gseDict)
	}
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	if err := write(os.Stdout, f, source); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// gse is the module whose copy of jieba's dictionary, gseDict, is read by
// default.
const (
	gse     = "github.com/go-ego/gse@v1.0.2"
	gseDict = "data/dict/zh/s_1.txt"
)

// download fetches a module into the module cache and returns its folder.
func download(module string) (string, error) {
	out, err := exec.Command("go", "mod", "download", "-json", module).Output()
	if err != nil {
		return "", fmt.Errorf("go mod download %s: %w", module, err)
	}
	var m struct{ Dir string }
	if err := json.Unmarshal(out, &m); err != nil || m.Dir == "" {
		return "", fmt.Errorf("go mod download %s: no folder in %q", module, out)
	}
	return m.Dir, nil
}

// write writes the lexicon of the dictionary r, whose source says where
// it came from.
func write(w io.Writer, r io.Reader, source string) error {
	type entry struct {
		freq  int
		class byte
	}
	words := map[string]entry{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 3 {
			continue
		}
		freq, err := strconv.Atoi(f[1])
		if err != nil {
			return fmt.Errorf("line %q: %w", sc.Text(), err)
		}
		if freq < minFreq {
			continue
		}
		class := byte('p')
		switch {
		case f[2] == verb:
			class = 'V'
		case slices.Contains(verbal, f[2]):
			class = 'v'
		case slices.Contains(nouns, f[2]):
			class = 'n'
		}
		word := string(analysis.FoldRunes(f[0]))
		if old, ok := words[word]; !ok || freq > old.freq {
			words[word] = entry{freq, class}
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "# Common Chinese words and their class (v: not a noun, V: a verb, not a noun either, n: a common noun, p: a name).")
	fmt.Fprintln(bw, "# Made by analysis/internal/mklexicon from jieba's dict.txt (MIT, github.com/fxsjy/jieba),")
	fmt.Fprintf(bw, "# %s.\n", source)
	for line := range strings.Lines(jiebaLicence) {
		fmt.Fprintln(bw, strings.TrimRight("# "+strings.TrimSuffix(line, "\n"), " "))
	}
	for _, k := range slices.Sorted(maps.Keys(words)) {
		fmt.Fprintf(bw, "%s\t%c\n", k, words[k].class)
	}
	return bw.Flush()
}

// jiebaLicence is the licence of jieba, whose dictionary the lexicon is
// made from; it travels with the lexicon.
const jiebaLicence = `jieba's licence:

The MIT License (MIT)

Copyright (c) 2013 Sun Junyi

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
THE SOFTWARE.
`
