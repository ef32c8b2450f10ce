package httpx

// chunkSizeLine parses "chunk-size [ ';' chunk-ext ] [OWS]" (RFC 9112 §7.1).
// Extensions are validated for control bytes and otherwise ignored. Like
// net/http, whitespace is allowed only at the end of a line without an
// extension, and at most 16 hex digits are accepted.
func (p *Parser) chunkSizeLine(buf []byte, s, e int) *Error {
	i := s
	var n int64
	for i < e && byteClass[buf[i]]&classHex != 0 {
		if i-s == 16 {
			return ErrBadChunk
		}
		n = n<<4 | hexVal(buf[i])
		i++
	}
	if i == s || n < 0 {
		return ErrBadChunk
	}
	if i < e && buf[i] == ';' {
		for j := i + 1; j < e; j++ {
			if byteClass[buf[j]]&classValue == 0 {
				return ErrBadChunk
			}
		}
	} else {
		for ; i < e; i++ {
			if !isOWS(buf[i]) {
				return ErrBadChunk
			}
		}
	}
	if n > p.lim.MaxBodyBytes-int64(len(p.body)) {
		return ErrBodyTooLarge
	}
	// Overhead accounting borrowed from net/http: tolerate ordinary framing
	// but stop a peer that sends mostly extensions or one-byte chunks.
	p.excess += int64(e-s) + 2 - 16 - 2*n
	if p.excess < 0 {
		p.excess = 0
	}
	if p.excess > maxChunkExcess {
		return ErrBadChunk
	}
	if n == 0 {
		p.state, p.trailerStart = stTrailers, p.lineStart
		return nil
	}
	p.chunkSize, p.dataStart, p.state = int(n), p.lineStart, stChunkData
	return nil
}

// chunkData waits until the whole chunk and its CRLF are buffered (an O(1)
// check, so slow feeds stay linear), then copies the data into the parser's
// body buffer. The copy grows only with bytes actually received.
func (p *Parser) chunkData(buf []byte) (ok bool, err *Error) {
	end := p.dataStart + p.chunkSize
	if len(buf) < end+2 {
		return false, nil
	}
	if buf[end] != '\r' || buf[end+1] != '\n' {
		return false, ErrBadChunk
	}
	p.body = append(p.body, buf[p.dataStart:end]...)
	p.work += p.chunkSize
	p.lineStart, p.scan, p.state = end+2, end+2, stChunkSize
	return true, nil
}

// trailerLine validates one trailer field (then drops it) or, on the empty
// line, ends the request. Trailers obey the header limits.
func (p *Parser) trailerLine(buf []byte, s, e int) (done bool, err *Error) {
	if p.lineStart-p.trailerStart > p.lim.MaxHeaderBytes {
		return false, ErrHeaderTooLarge
	}
	if s == e {
		return true, nil
	}
	if isOWS(buf[s]) {
		return false, ErrObsFold
	}
	if _, _, err := splitField(buf, s, e); err != nil {
		return false, err
	}
	p.trailerCount++
	if p.trailerCount > p.lim.MaxHeaderCount {
		return false, ErrTooManyHeaders
	}
	return false, nil
}
