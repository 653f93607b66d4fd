package eval

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Set is a folder-style question set: a folder of articles and the
// questions asked about them, laid out as
//
//	DIR/corpus/          the articles (.md or .txt, front matter optional)
//	DIR/questions.jsonl  the questions (see LoadQuestions)
//
// The development sets converted from DRCD and CMRC 2018 come this way.
type Set struct {
	// Name is the folder's name, which labels the set in reports.
	Name      string
	Dir       string
	CorpusDir string
	Questions []Question
}

// ErrNotASet is returned by LoadSet for a folder without corpus/ or
// questions.jsonl.
var ErrNotASet = errors.New("not a question set: want DIR/corpus and DIR/questions.jsonl")

// LoadSet reads the questions of a folder-style set and checks that its
// corpus folder exists; the articles are read by whoever indexes them.
func LoadSet(dir string) (Set, error) {
	s := Set{Name: filepath.Base(filepath.Clean(dir)), Dir: dir, CorpusDir: filepath.Join(dir, "corpus")}
	if fi, err := os.Stat(s.CorpusDir); err != nil || !fi.IsDir() {
		if err == nil || errors.Is(err, fs.ErrNotExist) {
			return Set{}, fmt.Errorf("%s: %w", dir, ErrNotASet)
		}
		return Set{}, err
	}
	path := filepath.Join(dir, "questions.jsonl")
	fh, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Set{}, fmt.Errorf("%s: %w", dir, ErrNotASet)
		}
		return Set{}, err
	}
	defer fh.Close()
	s.Questions, err = LoadQuestions(fh)
	if err != nil {
		return Set{}, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}
