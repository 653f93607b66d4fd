package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"wenda/auth"
)

// authenticate leaves the request's auth.Key at keyCtx, or marks at
// badKeyCtx a request whose key did not match.
const (
	keyCtx    = "wenda.key"
	badKeyCtx = "wenda.bad_key"
	keyIDCtx  = "wenda.key_id" // the key's name: stable, not secret
	roleCtx   = "wenda.role"
)

// The collection the routes without one in their path serve.
const defaultCollection = "default"

var (
	errKeyRequired = &apiError{http.StatusUnauthorized, "key_required",
		"this needs an API key: send it as Authorization: Bearer <key>"}
	errKeyInvalid = &apiError{http.StatusUnauthorized, "key_invalid",
		"the API key is not valid; check it, or ask the operator for a new one"}
)

// authenticate finds the key a request carries, if any. A key that does
// not match counts for nothing: where reads are open they still pass, since
// OpenAI clients send some key whether or not the server wants one, and
// where a key is needed the request gets 401 (see authorize).
func (s *Server) authenticate(c *gin.Context) {
	h := c.GetHeader("Authorization")
	if h == "" {
		c.Next()
		return
	}
	scheme, token, _ := strings.Cut(strings.TrimSpace(h), " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" || s.opts.Keys == nil {
		c.Set(badKeyCtx, true)
		c.Next()
		return
	}
	key, err := s.opts.Keys.Authenticate(token)
	switch {
	case errors.Is(err, auth.ErrInvalidKey), errors.Is(err, auth.ErrNoKey):
		c.Set(badKeyCtx, true)
	case err != nil:
		s.abort(c, err)
		return
	default:
		c.Set(keyCtx, key)
		// What the rate limiter and /metrics read.
		c.Set(keyIDCtx, key.Name)
		c.Set(roleCtx, string(key.Role))
	}
	c.Next()
}

// keyOf returns the key the request was authenticated with, if any.
func keyOf(c *gin.Context) (auth.Key, bool) {
	v, ok := c.Get(keyCtx)
	if !ok {
		return auth.Key{}, false
	}
	k, ok := v.(auth.Key)
	return k, ok
}

// authorize decides whether the request may do a to collection coll
// ("" for requests that touch no one collection). Without a key, only
// reads pass, and only while the operator has listed no keys.
func (s *Server) authorize(c *gin.Context, a auth.Action, coll string) error {
	key, ok := keyOf(c)
	if !ok {
		if a == auth.Read && (s.opts.Keys == nil || s.opts.Keys.OpenReads()) {
			return nil
		}
		if c.GetBool(badKeyCtx) {
			c.Header("WWW-Authenticate", `Bearer realm="wenda", error="invalid_token"`)
			return errKeyInvalid
		}
		c.Header("WWW-Authenticate", `Bearer realm="wenda"`)
		return errKeyRequired
	}
	if key.Allows(a, coll) {
		return nil
	}
	var what string
	switch a {
	case auth.Read:
		what = fmt.Sprintf("read collection %q", coll)
	case auth.Write:
		what = fmt.Sprintf("change collection %q", coll)
	default:
		what = "manage collections or read operator data"
	}
	return &apiError{http.StatusForbidden, "forbidden",
		fmt.Sprintf("the key %q (%s) may not %s", key.Name, key.Role, what)}
}

// require is a route's gate: the request must be allowed to do a to the
// collection named in the path (the route's :c parameter), or to the
// default collection on routes without one.
func (s *Server) require(a auth.Action) gin.HandlerFunc {
	return func(c *gin.Context) {
		coll := c.Param("c")
		if coll == "" && a != auth.Manage {
			coll = defaultCollection
		}
		if err := s.authorize(c, a, coll); err != nil {
			s.abort(c, err)
			return
		}
		c.Next()
	}
}

// signedIn is the gate of routes that touch no one collection (the lists
// of collections and models, which each show what the key may read): any
// valid key passes, and no key only while reads are open.
func (s *Server) signedIn(c *gin.Context) {
	if err := s.authorize(c, auth.Read, ""); err != nil {
		s.abort(c, err)
		return
	}
	c.Next()
}

// requireAdmin lets through only requests made with an admin key, for
// operator routes such as /metrics.
func (s *Server) requireAdmin(c *gin.Context) { s.require(auth.Manage)(c) }
