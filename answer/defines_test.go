package answer

import (
	"testing"

	"wenda/question"
)

// TestAliasIn answers alias questions of the CMRC 2018 trial and DRCD dev
// sets (CC BY-SA) from sentences quoted from their articles; the DRCD
// question about 岩石圈 is reworded to name the sentence's own term.
func TestAliasIn(t *testing.T) {
	tests := []struct {
		name, question, text, want string
	}{
		{"又名 after the term", "凉茶舖又叫什么？",
			"凉茶舖，又名凉茶店，是售卖凉茶的商店，有些设有座位，亦有些是中医馆、中药行兼卖凉茶。", "凉茶店"},
		{"或称", "内台航路也叫什么？",
			"内台航路，或称内台航线，是台湾日治时期连结日本内地与台湾的海运航线，又分为官方指定的「命令航路」和民间业者自行经营的「自由航路」两种。", "内台航线"},
		{"brackets stay inside the name", "刺角瓜又名什么？",
			"刺角瓜（Cucumis metuliferus），又名非洲角黄瓜（African horned cucumber）或火参果（kiwano），为葫芦科甜瓜属植物，原产于非洲喀拉哈里沙漠，现在美国加州、密西西比州、智利、澳大利亚和新西兰均有培植。",
			"非洲角黄瓜（African horned cucumber）或火参果（kiwano）"},
		{"a list that pairs terms with names", "刘六的本名是什么？",
			"刘六本名刘宠、刘七本名刘宸，兄弟二人皆河北霸州文安县人，均“胆力弓矢绝伦”，骁勇善骑射，最初协助官府捕捉“响马盗”。", "刘宠"},
		{"an English name", "越南投资发展银行的英文名是什么？",
			"越南投资发展银行（国语字：，儒字：，英文全称：Bank for Investment and Development of Vietnam，英文简称：BIDV）是越南最大的国有银行。",
			"Bank for Investment and Development of Vietnam"},
		{"the item that ends in the noun asked about", "地質的表面又被稱為什麼圈?",
			"地質的表面，或稱岩石圈、地殼，是地球表面最外層的固體。", "岩石圈"},
		// Another bank's name: 银行 is too small a part of the subject.
		{"another term's name", "西贡商业信用银行的英文名是什么？",
			"越南投资发展银行（国语字：，儒字：，英文全称：Bank for Investment and Development of Vietnam，英文简称：BIDV）是越南最大的国有银行。", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := question.Analyze(tt.question)
			if q.Alias == "" {
				t.Fatalf("%q is not an alias question", tt.question)
			}
			ps := passages(tt.text)
			ref, _ := aliasIn(q, extractive{}.sentences(ps))
			got := ""
			if ref != nil {
				got = string([]rune(ps[ref.passage].Text)[ref.span.Start:ref.span.End])
			}
			if got != tt.want {
				t.Errorf("name %q, want %q", got, tt.want)
			}
		})
	}
}
