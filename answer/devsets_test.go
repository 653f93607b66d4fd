package answer

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"wenda/corpus"
	"wenda/embed"
	"wenda/internal/devsets"
	"wenda/internal/testindex"
)

// devSetIndex indexes the articles of a development set (shared/evalsets
// beside the repository, CC BY-SA): in CI the sets must be there,
// elsewhere a missing folder skips the test.
func devSetIndex(t *testing.T, set string) *testindex.Index {
	t.Helper()
	return folderIndex(t, filepath.Join(devsets.Require(t), set, "corpus"))
}

// folderIndex indexes the files of a folder, read as an upload is read.
func folderIndex(t *testing.T, dir string) *testindex.Index {
	t.Helper()
	res, err := corpus.LoadDir(t.Context(), dir, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := testindex.Build(t.Context(), t.TempDir(), embed.DefaultHashDim, res.Documents)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// TestSentenceAboutTheTitle: an article names its subject in its title and
// first sentence, then says 牠们; the sentence that answers holds the
// question's specific word (体长) and not the subject's name, and still
// wins over the sentences that only repeat the name. CMRC 2018 trial
// questions on their articles, with the collection's term statistics.
func TestSentenceAboutTheTitle(t *testing.T) {
	svc := NewService(devSetIndex(t, "cmrc-trial"), Options{})
	tests := []struct{ question, want string }{
		{"马来穿山甲的体长约是多少厘米？", "牠们体长约65厘米"},
		{"夜来香的种子有什么特点？", "种子宽卵形"},
	}
	for _, tt := range tests {
		a, err := svc.Ask(context.Background(), Request{Question: tt.question})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(a.Text, tt.want) {
			t.Errorf("%s: answer lacks %q: %s", tt.question, tt.want, a.Text)
		}
	}
}

// TestNamesSubject tells a title that names the article's subject from a
// headline; the shipped articles' titles are headlines.
func TestNamesSubject(t *testing.T) {
	tests := map[string]bool{
		"马来穿山甲":      true,
		"夜来香 (夹竹桃科)": true,
		"中國民主建國會":    true,
		"觀察者網專訪吳心伯：從馬德里會談看中美關係走向": false,
		"APEC峰会后中美关系新观察":          false,
		"特朗普归来与中美博弈的新阶段":          false,
		"釜山會晤後的中美關係：「有限緩和」與「新G2」": false,
		"": false,
	}
	for title, want := range tests {
		if got := namesSubject(title); got != want {
			t.Errorf("namesSubject(%q) = %v, want %v", title, got, want)
		}
	}
}

// TestShortAnswerNamesTheSubject: in "韩遂在潼关之战失败后，逃到湟中，部
// 众四散，唯独成公英跟随" the span nearest the question's words is 逃到湟中;
// the one that names the subject of the article, as its title 成公英 does,
// answers "谁". A CMRC 2018 trial question on its article, with the
// collection's term statistics.
func TestShortAnswerNamesTheSubject(t *testing.T) {
	svc := NewService(devSetIndex(t, "cmrc-trial"), Options{})
	a, err := svc.Ask(t.Context(), Request{Question: "韩遂在潼关之战失败后，谁一直跟随左右？"})
	if err != nil {
		t.Fatal(err)
	}
	if a.ShortAnswer == nil || a.ShortAnswer.Text != "成公英" {
		t.Errorf("short answer %+v, want 成公英; answer: %s", a.ShortAnswer, a.Text)
	}
}
