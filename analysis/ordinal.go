package analysis

// ordinalValues are the words that count or order the items of a list,
// folded: the numerals (一 … 十, 两) and the adverbs that order
// (首先, 其次, 再次).
var ordinalValues = map[string]int{"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
	"首先": 1, "其次": 2, "再次": 3}

// OrdinalValue returns the position or count a folded ordinal word
// stands for (三 → 3, 其次 → 2), or 0 when w is not one.
func OrdinalValue(w string) int { return ordinalValues[w] }
