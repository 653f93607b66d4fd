package question_test

import (
	"fmt"

	"wenda/question"
)

func ExampleAnalyze() {
	a := question.Analyze("首先在夜間戰鬥機上安裝雷達的是哪一個國家?")
	fmt.Println(a.Type, a.Head, a.Type.Factoid())
	// Output: place 国家 true
}
