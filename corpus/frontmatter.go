package corpus

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"wenda/hanzi"
)

// frontMatter is the YAML block that may open an article file:
//
//	---
//	title: 特朗普归来与中美博弈的新阶段
//	authors: [吴心伯]
//	source: 国际问题研究
//	date: "2026"
//	script: simplified
//	format: markdown
//	---
//
// Every field is optional; what is missing is worked out from the body.
type frontMatter struct {
	Title   string     `yaml:"title"`
	Authors stringList `yaml:"authors"`
	Source  string     `yaml:"source"`
	URL     string     `yaml:"url"`
	Date    string     `yaml:"date"`
	Script  string     `yaml:"script"`
	Format  string     `yaml:"format"`
	Seed    string     `yaml:"seed"`
}

// stringList accepts a YAML list or a single string.
type stringList []string

func (l *stringList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*l = stringList{n.Value}
		return nil
	}
	var ss []string
	if err := n.Decode(&ss); err != nil {
		return err
	}
	*l = ss
	return nil
}

var dateValue = regexp.MustCompile(`^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$`)

// errNoFrontMatter says a file does not open with front matter.
var errNoFrontMatter = errors.New("no front matter")

// splitFrontMatter separates the YAML between the opening "---" line and
// the next "---" (or "...") line from the body, which is returned exactly as
// it is in the file.
func splitFrontMatter(s string) (yamlText, body string, err error) {
	first, rest, ok := strings.Cut(s, "\n")
	if !ok || strings.TrimRight(first, "\r") != "---" {
		return "", s, errNoFrontMatter
	}
	for off := 0; off < len(rest); {
		l, _, _ := strings.Cut(rest[off:], "\n")
		end := off + len(l) + 1
		if t := strings.TrimRight(l, "\r"); t == "---" || t == "..." {
			return rest[:off], rest[min(end, len(rest)):], nil
		}
		off = end
	}
	return "", s, errNoFrontMatter
}

// parseFrontMatter decodes and checks the YAML of a front matter block.
func parseFrontMatter(text string) (frontMatter, error) {
	var fm frontMatter
	if err := yaml.Unmarshal([]byte(text), &fm); err != nil {
		return fm, err
	}
	if fm.Date != "" && !dateValue.MatchString(fm.Date) {
		return fm, fmt.Errorf("date %q is not YYYY-MM-DD, YYYY-MM or YYYY", fm.Date)
	}
	switch hanzi.Script(fm.Script) {
	case "", hanzi.Simplified, hanzi.Traditional, hanzi.Unknown:
	default:
		return fm, fmt.Errorf("script %q is not simplified or traditional", fm.Script)
	}
	switch Format(fm.Format) {
	case "", FormatPlain, FormatWeb, FormatPDF, FormatMarkdown:
	default:
		return fm, fmt.Errorf("format %q is not plain, web, pdf or markdown", fm.Format)
	}
	return fm, nil
}
