package httpx

// parseRequestLine parses "METHOD SP request-target SP HTTP-version" in
// buf[s:e] (RFC 9112 §3).
func (p *Parser) parseRequestLine(buf []byte, s, e int) *Error {
	i := s
	for i < e && isToken(buf[i]) {
		i++
	}
	if i == s || i == e || buf[i] != ' ' {
		return ErrBadRequestLine
	}
	p.method = span{s, i}
	i++
	ts := i
	i += targetSpan(buf[i:e])
	if i < e && buf[i] != ' ' {
		return ErrBadTarget // a control byte inside the target
	}
	if i == ts || i == e {
		return ErrBadRequestLine
	}
	p.target = span{ts, i}
	if err := p.parseVersion(buf[i+1 : e]); err != nil {
		return err
	}
	return p.splitTarget(buf)
}

// parseVersion accepts exactly "HTTP/1.0" and "HTTP/1.1". Other well-formed
// "HTTP/D.D" versions get 505, anything else 400.
func (p *Parser) parseVersion(v []byte) *Error {
	if len(v) != 8 || string(v[:5]) != "HTTP/" || v[6] != '.' ||
		v[5] < '0' || v[5] > '9' || v[7] < '0' || v[7] > '9' {
		return ErrBadRequestLine
	}
	if v[5] != '1' || v[7] > '1' {
		return ErrVersion
	}
	p.minor = int(v[7] - '0')
	return nil
}

// splitTarget derives Path and RawQuery from the target and validates the
// forms of RFC 9112 §3.2: origin-form, asterisk-form, authority-form (only
// for CONNECT) and absolute-form. In origin-form, %-escapes in the path must
// be well formed (as net/url requires); the query is kept raw and unchecked.
// Absolute-form is only checked for a scheme: proxies' problem, not ours.
func (p *Parser) splitTarget(buf []byte) *Error {
	t := p.target.of(buf)
	ps := p.target.off
	switch {
	case t[0] == '/':
	case len(t) == 1 && t[0] == '*':
		p.path = p.target
		return nil
	case string(p.method.of(buf)) == "CONNECT":
		p.path = span{p.target.end, p.target.end} // authority-form has no path
		return nil
	default:
		n := absolutePathStart(t)
		if n < 0 {
			return ErrBadTarget
		}
		ps += n
	}
	origin := ps == p.target.off
	pe := ps
	for pe < p.target.end && buf[pe] != '?' {
		if buf[pe] == '%' && origin {
			if pe+2 >= p.target.end || byteClass[buf[pe+1]]&classHex == 0 ||
				byteClass[buf[pe+2]]&classHex == 0 {
				return ErrBadTarget
			}
		}
		pe++
	}
	p.path = span{ps, pe}
	if pe < p.target.end {
		p.hasQuery = true
		p.query = span{pe + 1, p.target.end}
	}
	return nil
}

// absolutePathStart checks "scheme ':' ..." and returns the offset of the
// path component (after "//authority" when present), or -1.
func absolutePathStart(t []byte) int {
	i := 0
	for i < len(t) && (('a' <= lower(t[i]) && lower(t[i]) <= 'z') ||
		i > 0 && ('0' <= t[i] && t[i] <= '9' || t[i] == '+' || t[i] == '-' || t[i] == '.')) {
		i++
	}
	if i == 0 || i == len(t) || t[i] != ':' {
		return -1
	}
	i++
	if len(t)-i >= 2 && t[i] == '/' && t[i+1] == '/' {
		i += 2
		for i < len(t) && t[i] != '/' && t[i] != '?' {
			i++
		}
	}
	return i
}

// parseHeaderLine validates "field-name ':' OWS field-value OWS" in buf[s:e],
// records its offsets and extracts the framing facts we need.
func (p *Parser) parseHeaderLine(buf []byte, s, e int) *Error {
	if isOWS(buf[s]) {
		return ErrObsFold
	}
	key, val, err := splitField(buf, s, e)
	if err != nil {
		return err
	}
	if len(p.hdrs) >= p.lim.MaxHeaderCount {
		return ErrTooManyHeaders
	}
	p.hdrs = append(p.hdrs, hdrSpan{key, val})
	return p.noteField(key.of(buf), val.of(buf))
}

// splitField is shared by header and trailer lines. Token characters up to
// the colon form the name, so "Name : v" (space before colon) is rejected
// as RFC 9112 §5.1 requires.
func splitField(buf []byte, s, e int) (key, val span, err *Error) {
	k := s
	for k < e && isToken(buf[k]) {
		k++
	}
	if k == s || k == e || buf[k] != ':' {
		return key, val, ErrBadHeader
	}
	if valueSpan(buf[k+1:e]) != e-k-1 {
		return key, val, ErrBadHeader
	}
	vs, ve := k+1, e
	for vs < ve && isOWS(buf[vs]) {
		vs++
	}
	for ve > vs && isOWS(buf[ve-1]) {
		ve--
	}
	return span{s, k}, span{vs, ve}, nil
}

// noteField records the header fields that affect framing and connection
// handling, so endHeaders needs no second pass.
func (p *Parser) noteField(k, v []byte) *Error {
	switch len(k) {
	case 4:
		if equalFold(k, "host") {
			p.hostCount++
		}
	case 6:
		if equalFold(k, "expect") && equalFold(v, "100-continue") {
			p.expectContinue = true
		}
	case 10:
		if equalFold(k, "connection") {
			p.connClose = p.connClose || hasToken(v, "close")
			p.connKeep = p.connKeep || hasToken(v, "keep-alive")
		}
	case 14:
		if equalFold(k, "content-length") {
			return p.noteContentLength(v)
		}
	case 17:
		if equalFold(k, "transfer-encoding") {
			p.teCount++
			p.teChunked = equalFold(v, "chunked")
		}
	}
	return nil
}

// noteContentLength accepts 1*DIGIT only: no sign, no list, no repeats.
func (p *Parser) noteContentLength(v []byte) *Error {
	p.clCount++
	if p.clCount > 1 {
		return ErrDuplicateContentLength
	}
	if len(v) == 0 {
		return ErrBadContentLength
	}
	var n int64
	for _, c := range v {
		if c < '0' || c > '9' || n > (1<<63-1-9)/10 {
			return ErrBadContentLength
		}
		n = n*10 + int64(c-'0')
	}
	p.contentLength = n
	return nil
}

// endHeaders decides the body framing once the header section is complete.
// The body limit is enforced here, before a single body byte is awaited.
func (p *Parser) endHeaders() (done bool, err *Error) {
	switch {
	case p.hostCount > 1:
		return false, ErrDuplicateHost
	case p.hostCount == 0 && p.minor == 1:
		return false, ErrMissingHost
	}
	if p.teCount > 0 {
		switch {
		case p.minor == 0:
			return false, ErrTransferEncoding10
		case p.clCount > 0:
			return false, ErrLengthAndChunked
		case p.teCount > 1 || !p.teChunked:
			return false, ErrNotImplemented
		}
		p.state = stChunkSize
		return false, nil
	}
	if p.contentLength > p.lim.MaxBodyBytes {
		return false, ErrBodyTooLarge
	}
	if p.contentLength > 0 {
		p.state = stBody
		return false, nil
	}
	return true, nil
}
