package answer

import (
	"slices"
	"strings"
	"testing"
)

func TestMarkersIn(t *testing.T) {
	tests := []struct {
		text string
		want []int
	}{
		{"会谈在马德里举行[1]。", []int{1}},
		{"一年[1,3]，两年[2][1]。", []int{1, 3, 2}},
		{"全角［2］与［1，4］以及[1、5]", []int{2, 1, 4, 5}},
		{"全角数字［２］", []int{2}},
		{"spaces [ 3 , 4 ] too", []int{3, 4}},
		{"not a marker [a] or [] or [1", nil},
	}
	for _, tt := range tests {
		if got := markersIn(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("markersIn(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestRewriteMarkers(t *testing.T) {
	renumber := map[int]int{3: 1, 1: 2}
	f := func(n int) (int, bool) { m, ok := renumber[n]; return m, ok }
	tests := []struct{ in, want string }{
		{"甲[3]，乙[1]。", "甲[1]，乙[2]。"},
		{"甲[3,1]。", "甲[1][2]。"},
		{"甲[3][3]。", "甲[1][1]。"},
		{"甲［1，9］。", "甲[2]。"},
		{"The talks [9].", "The talks."},
		{"甲[9]乙[1]。", "甲乙[2]。"},
		// Removing a marker must not form one from the text around it.
		{"甲[3][2025[7]]。", "甲[1]。"},
		{"甲[[9]3]。", "甲。"},
		{"甲[1[9]]乙[3]。", "甲乙[1]。"},
		{"甲[20[9]25]。", "甲。"},
		{"甲\x001\x00[3]。", "甲1[1]。"},
	}
	for _, tt := range tests {
		if got := rewriteMarkers(tt.in, f); got != tt.want {
			t.Errorf("rewriteMarkers(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitter(t *testing.T) {
	tests := []struct {
		name   string
		pieces []string
		want   []string
	}{
		{"chinese sentences", []string{"会谈在马德里举行[1]。双方谈到关税[2]。"},
			[]string{"会谈在马德里举行[1]。", "双方谈到关税[2]。"}},
		{"marker after the stop belongs before", []string{"会谈在马德里举行。[1]双方谈到关税。[2][3]"},
			[]string{"会谈在马德里举行。[1]", "双方谈到关税。[2][3]"}},
		{"marker split across pieces", []string{"会谈在马德里举行。[", "1", "]双方", "谈到关税[2", "]。"},
			[]string{"会谈在马德里举行。[1]", "双方谈到关税[2]。"}},
		{"english", []string{"The talks were held in Madrid [1]. The U.S. side ", "asked for more [2]."},
			[]string{"The talks were held in Madrid [1].", " The U.S. side asked for more [2]."}},
		{"decimal and list numbers", []string{"1. 增长3.8%[1]。\n2. 顺差8.51万亿[1]。"},
			[]string{"1. 增长3.8%[1]。", "\n2. 顺差8.51万亿[1]。"}},
		{"closing quote and semicolon", []string{"他说：“会谈成功。”[1]第一；第二[2]。"},
			[]string{"他说：“会谈成功。”[1]", "第一；", "第二[2]。"}},
		{"unfinished tail", []string{"没有句号的结尾[1"}, []string{"没有句号的结尾[1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sp splitter
			var got []string
			for _, p := range tt.pieces {
				for _, s := range sp.feed(p) {
					// A released sentence never ends inside a marker.
					if strings.Count(s, "[")+strings.Count(s, "［") != strings.Count(s, "]")+strings.Count(s, "］") {
						t.Errorf("released %q with an open marker", s)
					}
					got = append(got, s)
				}
			}
			got = append(got, sp.flush()...)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestNoPhantomMarker: an out-of-range marker inside brackets must not
// leave a marker behind that points at nothing; every marker shown has a
// citation.
func TestNoPhantomMarker(t *testing.T) {
	ps := passages(madridPassage, tiktokPassage)
	c := newComposer(newVerifier([]string{madridPassage, tiktokPassage}, DefaultMinOverlap, false), ps, nil)
	if err := c.write("何立峰与贝森特在西班牙马德里举行会谈[1][2025[7]]。"); err != nil {
		t.Fatal(err)
	}
	if err := c.close(); err != nil {
		t.Fatal(err)
	}
	text, cites := c.text.String(), c.citations()
	if got := markersIn(text); len(got) != len(cites) {
		t.Errorf("text %q has markers %v but %d citations", text, got, len(cites))
	}
	if strings.Contains(text, "2025") {
		t.Errorf("text %q keeps a phantom marker", text)
	}
}
