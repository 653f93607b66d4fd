package feedback

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func entry(q string) Entry {
	return Entry{Rating: Up, Question: q, Answer: "答案[1]。", Answerable: true,
		Citations: []Citation{{N: 1, DocID: "d", Start: 0, End: 10, Evidence: []Evidence{{Start: 2, End: 5, Text: "abc"}}}}}
}

func TestStoreAddAndReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", FileName)
	s, err := Open(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.Add(entry(strings.Repeat("问", i+1))); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	got, err := s.List()
	if err != nil || len(got) != 20 {
		t.Fatalf("List: %d entries, %v", len(got), err)
	}
	ids := map[string]bool{}
	for _, e := range got {
		if e.ID == "" || ids[e.ID] || e.Time.IsZero() || e.Citations[0].Evidence[0].Text != "abc" {
			t.Errorf("entry %+v", e)
		}
		ids[e.ID] = true
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v: feedback holds readers' questions and must not be world-readable", st.Mode().Perm())
	}
	s, err = Open(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if again, err := s.List(); err != nil || len(again) != 20 {
		t.Fatalf("after reopening: %d entries, %v", len(again), err)
	}
}

// TestStoreDropsATornLine writes what a crash in the middle of an append
// leaves: whole lines, then part of one. The part was never acknowledged;
// the whole lines were, and must all be kept.
func TestStoreDropsATornLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	s, err := Open(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"一", "二"} {
		if _, err := s.Add(entry(q)); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"id":"torn","rating":"up","question":"三`)
	f.Close()

	s, err = Open(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Add(entry("四")); err != nil {
		t.Fatal(err)
	}
	got, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	var qs []string
	for _, e := range got {
		qs = append(qs, e.Question)
	}
	if strings.Join(qs, ",") != "一,二,四" {
		t.Errorf("entries %v, want 一,二,四", qs)
	}
}

func TestStoreFull(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	s, err := Open(path, 600)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n := 0
	for ; n < 100; n++ {
		if _, err := s.Add(entry("问题")); err != nil {
			if !errors.Is(err, ErrFull) {
				t.Fatal(err)
			}
			break
		}
	}
	if n == 0 || n == 100 {
		t.Fatalf("%d entries fit in 600 bytes", n)
	}
	st, _ := os.Stat(path)
	if st.Size() > 600 {
		t.Errorf("file grew to %d bytes past its 600-byte limit", st.Size())
	}
	if got, _ := s.List(); len(got) != n {
		t.Errorf("%d entries listed, %d added", len(got), n)
	}
}

func TestValidate(t *testing.T) {
	long := strings.Repeat("字", MaxNoteRunes+1)
	tests := []struct {
		name string
		edit func(*Entry)
		want string
	}{
		{"ok", func(*Entry) {}, ""},
		{"no rating", func(e *Entry) { e.Rating = "" }, "rating"},
		{"other rating", func(e *Entry) { e.Rating = "meh" }, "rating"},
		{"no question", func(e *Entry) { e.Question = "" }, "question is empty"},
		{"long note", func(e *Entry) { e.Note = long }, "note"},
		{"long history turn", func(e *Entry) { e.History = []string{"a", long} }, "history turn 2"},
		{"many turns", func(e *Entry) { e.History = make([]string, MaxHistoryTurns+1) }, "turns"},
		{"negative span", func(e *Entry) { e.Citations[0].Evidence[0].Start = -1 }, "evidence"},
		{"reversed citation", func(e *Entry) { e.Citations[0].End = -3 }, "start and end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := entry("问题")
			tt.edit(&e)
			err := e.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one about %q", err, tt.want)
			}
		})
	}
}
