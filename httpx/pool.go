package httpx

import "sync"

var parserPool = sync.Pool{New: func() any { return new(Parser) }}

// AcquireParser returns a reset Parser with limits l from a pool. A server
// holds a parser only while a connection speaks HTTP: a WebSocket or an idle
// keep-alive connection gives it back with ReleaseParser, so idle
// connections carry no parser memory and no garbage is left per upgrade.
// Safe from any goroutine.
func AcquireParser(l Limits) *Parser {
	p := parserPool.Get().(*Parser)
	p.Limits = l
	return p
}

// ReleaseParser resets p and returns it to the pool; p must not be used
// afterwards. Safe from any goroutine.
func ReleaseParser(p *Parser) {
	p.Reset()
	parserPool.Put(p)
}
