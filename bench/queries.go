package bench

// questions are a sample of the evaluation questions about the shipped
// articles, in both scripts and in English, and some the articles cannot
// answer: the mix a user sends. The synthetic corpora are made of the same
// sentences, so these questions find passages at every size.
var questions = []string{
	"APEC庆州峰会之后在清华举行的双C论坛是由哪两家机构联合主办的？",
	"李枏拿哪两个国家关系的变化，来说明各国在中美博弈下自主做出选择？",
	"李枏认为朝鲜眼下无意与美国接触，朝鲜正忙于准备哪些事情？",
	"特朗普在返美的飛機上說他打算什麼時候訪華？",
	"吉隆坡磋商後，美方對中國海事、物流和造船業的哪一類調查措施要暫停一年？",
	"習近平在會晤中特別提到了特朗普執政的哪個核心口號？",
	"吳心伯認為TikTok問題一旦解決，對中國企業有什麼意義？",
	"吳心伯把今年的中美關係分成了哪三個階段？",
	"观察者网这次独家采访的吴心伯担任什么职务？",
	"釜山会晤距两国领导人上一次见面隔了多少年？",
	"“5年5万”倡议是哪一年提出的？邀请的对象是谁？",
	"2025年7月鲁比奥是在哪里与王毅外长会晤的？",
	"这份脱钩报告的作者在学术界、智库和业界有多少年的经验？",
	"被加征7.5%关税的中国商品，其对美进口后来表现如何？",
	"2019年6月中国国务院发布的贸易白皮书题目是什么？",
	"依據這份報告，2022年美國國防戰略如何看待中國重塑印太地區的活動？",
	"吴心伯在访谈和论文中分别怎样描述特朗普对华手段的转变？",
	"At the Double-C Forum, which scholar urged China to stay cautious about Trump's revived \"G2\" idea?",
	"How does Zhao Minghao characterise Trump's personality in his article on the Busan meeting?",
	"欧盟对中国电动汽车加征了多少关税？",
	"2026年的20国集团峰会在美国哪个城市举行？",
	"黄仁勋如何评价美国政府允许H200芯片对华出口的决定？",
	"李枏为什么认为朝鲜现在迫切希望与美国对话？",
	"中方10月9日公布的出口管制措施具体涵盖哪几种稀土元素？",
}

// Questions returns the benchmark questions, in a fixed order.
func Questions() []string { return append([]string(nil), questions...) }
