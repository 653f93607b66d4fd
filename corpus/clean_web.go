package corpus

import (
	"regexp"
	"strings"

	"wenda/hanzi"
)

// Web pages saved as text carry the portal around the article: navigation
// and share widgets above it, and below it recommendation blocks of
// unrelated headlines with timestamps and view counts, platform notices and
// accessibility links. The rules below know the vocabulary of such chrome,
// not the articles: words are compared after hanzi.Fold, so one Simplified
// list serves Traditional pages too.

// minBodyRunes is how much prose (lines ending a sentence) must come before
// a line for it to be taken as the start of the trailing chrome rather than
// page furniture above the article.
const minBodyRunes = 60

var (
	// chromeWords are widget labels; a line made only of them is dropped
	// wherever it stands.
	chromeWords = wordSet("分享至", "分享到", "分享", "申请入驻", "举报", "投诉", "收藏", "点赞", "评论",
		"打开app", "下载app", "打开客户端", "下载客户端", "返回顶部", "回到顶部", "无障碍浏览", "进入关怀版",
		"关怀版", "扫一扫", "微信扫一扫", "扫码", "阅读原文", "阅读全文", "展开全文", "查看原文", "查看更多",
		"加载更多", "全部", "更多", "上一篇", "下一篇", "字号", "关注", "已关注", "+关注", "首页", "正文", "来源")

	// blockHeadings start a block that is not the article: recommendations,
	// hot lists, comments. The first one after the article ends it.
	blockHeadings = wordSet("相关推荐", "热点推荐", "热门推荐", "推荐阅读", "相关阅读", "延伸阅读", "相关新闻",
		"相关文章", "相关报道", "猜你喜欢", "为你推荐", "为您推荐", "大家都在看", "热门文章", "热文推荐", "精彩推荐",
		"更多精彩", "往期回顾", "往期推荐", "今日推荐", "热门评论", "最新评论", "网友评论", "全部评论", "热搜", "热榜",
		"排行榜", "24小时热文", "热门排行", "编辑推荐", "今日热点", "热点新闻", "态度原创")

	// Section tabs of news portals: "头条要闻", "体育要闻", "财经要闻".
	newsTab = regexp.MustCompile(`^\S{1,4}要闻$`)
	// Platform notices that close a user-published page.
	noticeStart = regexp.MustCompile(`^(?:特别声明|免责声明|版权声明|(?i:notice\s*:|disclaimer\s*:))`)
	// "网易首页 > 网易号 > 正文": a breadcrumb trail.
	breadcrumb = regexp.MustCompile(`^[^。，！？]{1,20}(?:\s*[>›»]\s*[^。，！？>›»]{1,20}){2,}$`)
	// A lone count next to a share or like button.
	countLine = regexp.MustCompile(`^[0-9][0-9.,]*[万千wWkK]?$`)
	// A headline's publication time in a list of headlines.
	headlineTime = regexp.MustCompile(`^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?$`)
	// Counters under an author's name: "3513文章数 25271关注度", "10万+阅读".
	statLine = regexp.MustCompile(`^(?:[0-9][0-9.,]*[万千wWkK]?\+?\s*(?:文章数?|关注度?|粉丝|阅读|浏览|评论|跟帖|播放|点赞|获赞|views?|reads?)\s*)+$`)
)

func wordSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// web removes portal chrome around a scraped article.
func (c *cleaner) web(lines []line) []para {
	return c.webParas(lineParas(lines))
}

// webParas removes portal chrome from a web page's paragraphs.
func (c *cleaner) webParas(ps []para) []para {
	ps, cut := cutTrailingChrome(ps)
	out := ps[:0]
	for _, p := range ps {
		if !isChrome(p.text) && !startsBlock(p.text) {
			out = append(out, p)
		}
	}
	if cut {
		out = trimTail(out)
	}
	return out
}

// isChrome reports whether a line is navigation or a widget, not text.
func isChrome(s string) bool {
	const maxChromeRunes = 40
	if countLine.MatchString(s) {
		return true
	}
	if runeLen(s) > maxChromeRunes || hasClausePunct(s) {
		return false
	}
	if breadcrumb.MatchString(s) || statLine.MatchString(s) {
		return true
	}
	for _, w := range strings.Fields(hanzi.Fold(s)) {
		if !chromeWords[w] {
			return false
		}
	}
	return true
}

// cutTrailingChrome drops everything from the first line after the article
// that starts a recommendation block, a platform notice, or a list of
// timestamped headlines.
func cutTrailingChrome(ps []para) ([]para, bool) {
	seen := 0
	for i, p := range ps {
		if seen >= minBodyRunes {
			if startsBlock(p.text) {
				return ps[:i], true
			}
			if headlineTime.MatchString(p.text) && moreTimes(ps[i+1:]) {
				return ps[:headlineListStart(ps, i)], true
			}
		}
		if endsSentence(p.text) {
			seen += runeLen(p.text)
		}
	}
	return ps, false
}

// startsBlock reports whether s heads a block that is not the article.
func startsBlock(s string) bool {
	const maxBlockHeadingRunes = 16
	head := []rune(s)
	if len(head) > maxBlockHeadingRunes {
		head = head[:maxBlockHeadingRunes] // enough to see "特別聲明" or "Notice:"
	}
	folded := hanzi.Fold(string(head))
	if noticeStart.MatchString(folded) {
		return true
	}
	f := strings.Fields(folded)
	if len(f) == 0 || runeLen(s) > maxBlockHeadingRunes {
		return false
	}
	return blockHeadings[f[0]] || newsTab.MatchString(f[0])
}

// moreTimes reports whether another headline timestamp follows soon: one
// timestamp may be the article's own, a list of them is not.
func moreTimes(ps []para) bool {
	const window = 12
	for i, p := range ps {
		if i == window {
			break
		}
		if headlineTime.MatchString(p.text) {
			return true
		}
	}
	return false
}

// headlineListStart walks back from the first timestamp over the headline
// and outlet lines above it, to where the list begins.
func headlineListStart(ps []para, i int) int {
	const maxHeadlineRunes = 80
	for i > 0 {
		prev := ps[i-1].text
		if runeLen(prev) > maxHeadlineRunes || (endsSentence(prev) && !strings.ContainsAny(lastRuneString(prev), "！？!?")) {
			break
		}
		i--
	}
	return i
}

func lastRuneString(s string) string { return string(lastRune(s)) }

// trimTail drops the short labels left between the article's last sentence
// and the cut ("更多访谈(下滑查看)", an account's name), once chrome is known
// to follow the article.
func trimTail(ps []para) []para {
	const maxLabelRunes = 25
	for len(ps) > 0 {
		t := ps[len(ps)-1].text
		if runeLen(t) > maxLabelRunes || endsSentence(t) {
			break
		}
		ps = ps[:len(ps)-1]
	}
	return ps
}
