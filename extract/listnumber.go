package extract

import (
	"fmt"
	"strconv"
	"strings"

	"wenda/analysis"
)

// atoiOr is the integer s writes, or def when it writes none.
func atoiOr(s string, def int) int {
	if v, err := strconv.Atoi(s); err == nil {
		return v
	}
	return def
}

// formatNumber writes n as a list level's numFmt does. The formats
// Chinese documents use are written as Word shows them; an unknown format
// is written in digits.
func formatNumber(n int, format string) string {
	switch format {
	case "decimalZero":
		return fmt.Sprintf("%02d", n)
	case "decimalFullWidth", "decimalFullWidth2":
		var b strings.Builder
		for _, r := range strconv.Itoa(n) {
			b.WriteRune(r - '0' + '０')
		}
		return b.String()
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		if n >= 1 && n <= 20 {
			return string(rune('①' + n - 1))
		}
	case "chineseCounting", "chineseCountingThousand", "ideographTraditional", "taiwaneseCounting", "taiwaneseCountingThousand", "chineseLegalSimplified":
		if s, ok := analysis.ChineseNumeral(strconv.Itoa(n)); ok {
			return s
		}
	case "lowerLetter", "upperLetter":
		if n >= 1 {
			s := strings.Repeat(string(rune('a'+(n-1)%26)), (n-1)/26+1)
			if format == "upperLetter" {
				s = strings.ToUpper(s)
			}
			return s
		}
	case "lowerRoman":
		return roman(n)
	case "upperRoman":
		return strings.ToUpper(roman(n))
	}
	return strconv.Itoa(n)
}
