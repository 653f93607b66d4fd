package server

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// webFiles is the page served at /: plain HTML, CSS and JavaScript with no
// build step and nothing loaded from elsewhere.
//
//go:embed web
var webFiles embed.FS

func (s *Server) webRoutes(r *gin.Engine) {
	root, err := fs.Sub(webFiles, "web")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	index, err := fs.ReadFile(root, "index.html")
	if err != nil {
		panic(err)
	}
	static := http.StripPrefix("/static/", http.FileServerFS(root))
	r.GET("/", func(c *gin.Context) {
		c.Header("Cache-Control", "no-cache")
		c.Data(http.StatusOK, "text/html; charset=utf-8", index)
	})
	r.GET("/static/*file", func(c *gin.Context) {
		name := strings.TrimPrefix(c.Param("file"), "/")
		if name == "" || strings.HasSuffix(name, "/") || name == "index.html" {
			s.noRoute(c)
			return
		}
		if _, err := fs.Stat(root, name); err != nil {
			s.noRoute(c)
			return
		}
		c.Header("Cache-Control", "no-cache")
		static.ServeHTTP(c.Writer, c.Request)
	})
}
