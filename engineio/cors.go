package engineio

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/sio-fast/sio-fast/httpx"
)

// CORS configures cross-origin access for browser clients, like the npm
// cors package that Node's server uses. An origin is allowed when it is in
// Origins ("*" allows all), matches one of OriginPatterns, or OriginFunc
// returns true.
type CORS struct {
	Origins        []string
	OriginPatterns []*regexp.Regexp
	OriginFunc     func(origin string) bool
	Credentials    bool
	// Methods answered to preflights (default GET,HEAD,PUT,PATCH,POST,DELETE).
	Methods []string
	// AllowedHeaders answered to preflights (default: echo the request's
	// Access-Control-Request-Headers).
	AllowedHeaders []string
	ExposedHeaders []string
	MaxAge         int // seconds; 0 omits the header
}

func (c *CORS) wildcard() bool {
	for _, o := range c.Origins {
		if o == "*" {
			return true
		}
	}
	return false
}

// allowOrigin returns the Access-Control-Allow-Origin value for origin, or
// "" when the origin is not allowed.
func (c *CORS) allowOrigin(origin string) string {
	if c.wildcard() {
		if c.Credentials && origin != "" {
			return origin // "*" is refused by browsers with credentials
		}
		return "*"
	}
	if origin == "" {
		return ""
	}
	for _, o := range c.Origins {
		if o == origin {
			return origin
		}
	}
	for _, re := range c.OriginPatterns {
		if re.MatchString(origin) {
			return origin
		}
	}
	if c.OriginFunc != nil && c.OriginFunc(origin) {
		return origin
	}
	return ""
}

// appendHeaders appends the CORS fields of an actual (non-preflight)
// response.
func (c *CORS) appendHeaders(dst []byte, origin string) []byte {
	allow := c.allowOrigin(origin)
	if allow == "" {
		return dst
	}
	dst = httpx.AppendHeader(dst, "Access-Control-Allow-Origin", allow)
	if allow != "*" {
		dst = httpx.AppendHeader(dst, "Vary", "Origin")
	}
	if c.Credentials {
		dst = httpx.AppendHeader(dst, "Access-Control-Allow-Credentials", "true")
	}
	if len(c.ExposedHeaders) > 0 {
		dst = httpx.AppendHeader(dst, "Access-Control-Expose-Headers", strings.Join(c.ExposedHeaders, ","))
	}
	return dst
}

// preflight builds the 204 answer to an OPTIONS request.
func (c *CORS) preflight(origin, reqHeaders string, keepAlive bool) []byte {
	resp := appendResponseHead(nil, 204, "", 0, keepAlive)
	resp = c.appendHeaders(resp, origin)
	methods := "GET,HEAD,PUT,PATCH,POST,DELETE"
	if len(c.Methods) > 0 {
		methods = strings.Join(c.Methods, ",")
	}
	resp = httpx.AppendHeader(resp, "Access-Control-Allow-Methods", methods)
	allowed := reqHeaders
	if len(c.AllowedHeaders) > 0 {
		allowed = strings.Join(c.AllowedHeaders, ",")
	}
	if allowed != "" {
		resp = httpx.AppendHeader(resp, "Access-Control-Allow-Headers", allowed)
		if len(c.AllowedHeaders) == 0 {
			resp = httpx.AppendHeader(resp, "Vary", "Access-Control-Request-Headers")
		}
	}
	if c.MaxAge > 0 {
		resp = httpx.AppendHeader(resp, "Access-Control-Max-Age", strconv.Itoa(c.MaxAge))
	}
	return httpx.AppendEndHeaders(resp)
}
