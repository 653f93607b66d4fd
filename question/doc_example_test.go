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

func ExampleAnalyze_compound() {
	a := question.Analyze("截至马德里会谈，中美经贸谈判进行了几轮？吴心伯的论文说2025年5月至10月中美一共谈了几轮？")
	for _, p := range a.Parts {
		fmt.Println(p.Type, p.Text)
	}
	// Output:
	// number 截至马德里会谈，中美经贸谈判进行了几轮？
	// number 吴心伯的论文说2025年5月至10月中美一共谈了几轮？
}
