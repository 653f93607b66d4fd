package eval

import (
	"errors"
	"strings"
	"testing"
)

func TestLoadQuestions(t *testing.T) {
	good := `{"id":"q001","question":"穿透性规则多久？","answerable":true,"evidence":[["穿透性规则","穿透性規則"]],"answer_facts":[["一年"],["50%"]],"tags":["numeric","dev"]}`
	neg := `{"id":"q002","question":"欧盟加征多少关税？","answerable":false,"evidence":[],"answer_facts":[],"tags":["unanswerable","test"]}`
	tests := []struct {
		name    string
		in      string
		wantIDs []string
		// wantLines are the line numbers the error must name, in order.
		wantLines []int
		wantText  string
	}{
		{name: "two good lines", in: good + "\n" + neg + "\n", wantIDs: []string{"q001", "q002"}},
		{name: "blank lines, BOM and CRLF", in: "\ufeff" + good + "\r\n\r\n" + neg, wantIDs: []string{"q001", "q002"}},
		{name: "unknown fields are ignored", in: `{"id":"x","question":"q","answerable":false,"evidence":[],"answer_facts":[],"note":"kept for humans"}`, wantIDs: []string{"x"}},
		{name: "broken JSON names its line", in: good + "\n\n" + `{"id":"q3",` + "\n", wantLines: []int{3}, wantText: "invalid JSON"},
		{name: "every bad line is reported", in: `{"question":"q","answerable":true}` + "\n" + good + "\n" + `{"id":"a","question":"q","evidence":[["x"]]}`, wantLines: []int{1, 3}, wantText: `missing "answerable"`},
		{name: "duplicate id", in: good + "\n" + good, wantLines: []int{2}, wantText: "already used on line 1"},
		{name: "answerable without evidence", in: `{"id":"a","question":"q","answerable":true,"evidence":[],"answer_facts":[["x"]]}`, wantLines: []int{1}, wantText: "at least one evidence group"},
		{name: "unanswerable with evidence", in: `{"id":"a","question":"q","answerable":false,"evidence":[["x"]],"answer_facts":[]}`, wantLines: []int{1}, wantText: "no evidence or answer_facts"},
		{name: "empty group", in: `{"id":"a","question":"q","answerable":true,"evidence":[[]],"answer_facts":[]}`, wantLines: []int{1}, wantText: "group 1 is empty"},
		{name: "blank span matches everything", in: `{"id":"a","question":"q","answerable":true,"evidence":[["x"],[" \n"]],"answer_facts":[]}`, wantLines: []int{1}, wantText: "group 2 has an empty string"},
		{name: "missing question", in: `{"id":"a","answerable":false}`, wantLines: []int{1}, wantText: `missing "question"`},
		{name: "two values on a line", in: good + " " + neg, wantLines: []int{1}, wantText: "more than one JSON value"},
		{name: "no questions", in: "\n\n", wantText: "no questions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qs, err := LoadQuestions(strings.NewReader(tt.in))
			if tt.wantIDs != nil {
				if err != nil {
					t.Fatalf("LoadQuestions: %v", err)
				}
				var ids []string
				for _, q := range qs {
					ids = append(ids, q.ID)
				}
				if strings.Join(ids, ",") != strings.Join(tt.wantIDs, ",") {
					t.Fatalf("ids = %v, want %v", ids, tt.wantIDs)
				}
				return
			}
			if err == nil {
				t.Fatalf("LoadQuestions succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("error %q does not say %q", err, tt.wantText)
			}
			var lines []int
			for _, e := range unjoin(err) {
				var le *LineError
				if errors.As(e, &le) {
					lines = append(lines, le.Line)
				}
			}
			if len(lines) != len(tt.wantLines) {
				t.Fatalf("error lines = %v, want %v (%v)", lines, tt.wantLines, err)
			}
			for i := range lines {
				if lines[i] != tt.wantLines[i] {
					t.Fatalf("error lines = %v, want %v", lines, tt.wantLines)
				}
			}
		})
	}
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func TestLoadQuestionsKeepsFields(t *testing.T) {
	in := `{"id":"q001","question":" 穿透性规则？ ","answerable":true,"evidence":[["穿透性规则","穿透性規則"],["一年"]],"answer_facts":[["一年"],["50%"]],"tags":["numeric","dev"]}`
	qs, err := LoadQuestions(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	q := qs[0]
	if q.Question != "穿透性规则？" || !q.Answerable || len(q.Evidence) != 2 || len(q.Evidence[0]) != 2 || q.Evidence[0][1] != "穿透性規則" ||
		len(q.AnswerFacts) != 2 || q.AnswerFacts[1][0] != "50%" || !q.HasTag("dev") || q.HasTag("test") {
		t.Errorf("parsed %+v", q)
	}
}

func TestSelectSplit(t *testing.T) {
	qs := []Question{
		{ID: "a", Tags: []string{"dev"}},
		{ID: "b", Tags: []string{"numeric", "test"}},
		{ID: "c", Tags: []string{"dev", "numeric"}},
		{ID: "d"},
	}
	tests := []struct {
		split string
		want  string // ids; "" wants an error
	}{
		{split: "dev", want: "a,c"},
		{split: "test", want: "b"},
		{split: "all", want: "a,b,c,d"},
		{split: "", want: "a,b,c,d"},
		{split: "train"},
	}
	for _, tt := range tests {
		t.Run(tt.split, func(t *testing.T) {
			got, err := SelectSplit(qs, tt.split)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("SelectSplit(%q) succeeded", tt.split)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, q := range got {
				ids = append(ids, q.ID)
			}
			if strings.Join(ids, ",") != tt.want {
				t.Errorf("got %v, want %s", ids, tt.want)
			}
		})
	}
	if _, err := SelectSplit(qs[3:], "dev"); !errors.Is(err, ErrEmptySplit) {
		t.Errorf("untagged set, split dev: err = %v, want ErrEmptySplit", err)
	}
}

// TestDefaultQuestions checks the shipped set: it loads, every question is
// in exactly one split, and both splits hold answerable and unanswerable
// questions, so that the gate on dev measures refusal both ways.
func TestDefaultQuestions(t *testing.T) {
	qs, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	count := map[string][2]int{}
	for _, q := range qs {
		dev, test := q.HasTag(SplitDev), q.HasTag(SplitTest)
		if dev == test {
			t.Errorf("%s: tagged dev=%v test=%v, want exactly one", q.ID, dev, test)
		}
		split := SplitTest
		if dev {
			split = SplitDev
		}
		c := count[split]
		if q.Answerable {
			c[0]++
		} else {
			c[1]++
		}
		count[split] = c
	}
	for _, s := range []string{SplitDev, SplitTest} {
		if count[s][0] == 0 || count[s][1] == 0 {
			t.Errorf("split %s: %d answerable, %d unanswerable; want both", s, count[s][0], count[s][1])
		}
	}
}
