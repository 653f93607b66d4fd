package analysis

import "strings"

// titleWords are the words, folded, that end a description of who a
// person is: a rank, an office, a trade.
var titleWords = []string{
	"教授", "讲师", "研究员", "学者", "专家", "博士", "院士", "主任", "院长", "所长", "校长",
	"主席", "总统", "总理", "首相", "部长", "财长", "外长", "国务卿", "大使", "书记", "委员",
	"局长", "厅长", "省长", "市长", "县长", "司长", "处长", "秘书长", "发言人", "代表", "议员",
	"经理", "总裁", "董事长", "董事", "总监", "创始人", "创办人", "会长", "理事长", "顾问",
	"牵头人", "负责人", "领导人", "首脑", "元首", "特使", "助理", "司令", "参谋长",
	"作者", "记者", "编辑", "主编", "作家", "诗人", "画家", "导演", "演员", "歌手", "主持人",
	"分析师", "律师", "医生", "法官", "将军", "教练", "队长", "运动员", "球员", "官员", "成员",
	"国王", "皇帝", "皇后", "王后", "亲王", "公主", "王子",
}

// EndsInTitle reports whether w, folded, ends in a word for what a person
// is (教授, 研究室副主任, 美国财政部长): a description of who someone is,
// or a role that a name holds.
func EndsInTitle(w string) bool {
	for _, t := range titleWords {
		if strings.HasSuffix(w, t) {
			return true
		}
	}
	return false
}
