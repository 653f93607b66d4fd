package prompts

import (
	"wenda/hanzi"
)

// Language is the language and script an answer is written in: that of the
// question.
type Language string

// The answer languages.
const (
	Simplified  Language = "zh-Hans"
	Traditional Language = "zh-Hant"
	English     Language = "en"
)

// LanguageOf tells which language a question is asked in:
// LanguageFrom(question, hanzi.Unknown), before any document is known.
func LanguageOf(question string) Language {
	return LanguageFrom(question, hanzi.Unknown)
}

// LanguageFrom is the language of an answer to question drawn from
// documents written in source. A question with Latin letters and no Han
// characters is English. Any other is answered in the script hanzi.Detect
// finds in it; when none of its characters tells the scripts apart
// (「北海道」的原名是?), in the documents' script when that is Traditional,
// for the answer quotes their sentences as they are written, which
// converting them would change (里 → 裡, 台 → 臺) where a reader checking the
// citation cannot find them; else in Simplified, the articles' usual script.
func LanguageFrom(question string, source hanzi.Script) Language {
	if han, latin := hanzi.Letters(question); han == 0 && latin > 0 {
		return English
	}
	switch hanzi.Detect(question) {
	case hanzi.Traditional:
		return Traditional
	case hanzi.Unknown:
		if source == hanzi.Traditional {
			return Traditional
		}
	}
	return Simplified
}

// Script is the Chinese script of l, or hanzi.Unknown for English, which
// hanzi.To leaves unconverted.
func (l Language) Script() hanzi.Script {
	switch l {
	case Simplified:
		return hanzi.Simplified
	case Traditional:
		return hanzi.Traditional
	}
	return hanzi.Unknown
}

// Name is how the prompts name l to the model.
func (l Language) Name() string {
	switch l {
	case Traditional:
		return "Traditional Chinese (繁體中文)"
	case English:
		return "English"
	}
	return "Simplified Chinese (简体中文)"
}
