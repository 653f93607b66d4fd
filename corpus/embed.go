package corpus

import (
	"embed"
	"io/fs"
)

//go:embed articles
var articles embed.FS

// Embedded returns the shipped corpus, rooted at its articles folder, for
// Load.
func Embedded() fs.FS {
	sub, err := fs.Sub(articles, "articles")
	if err != nil {
		// "articles" is a valid path and embedded at build time.
		panic("corpus: embedded articles: " + err.Error())
	}
	return sub
}
