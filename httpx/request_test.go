package httpx

import "testing"

func mustParse(t testing.TB, in string) *Request {
	t.Helper()
	var p Parser
	n, err := p.Parse([]byte(in))
	if err != nil || n != len(in) {
		t.Fatalf("Parse = %d, %v", n, err)
	}
	return p.Request()
}

func TestHeaderLookup(t *testing.T) {
	r := mustParse(t, req("GET / HTTP/1.1", "Host: a", "X-Dup: 1", "x-dup: 2",
		"Connection: keep-alive , Upgrade", "connection: other", "Upgrade: WebSocket"))
	cases := []struct {
		name, want string
		present    bool
	}{
		{"host", "a", true}, {"HOST", "a", true}, {"X-Dup", "1", true}, {"missing", "", false}, {"Hos", "", false},
	}
	for _, c := range cases {
		v := r.Header(c.name)
		if (v != nil) != c.present || string(v) != c.want {
			t.Errorf("Header(%q) = %q", c.name, v)
		}
	}
	tokens := []struct {
		name, token string
		want        bool
	}{
		{"Connection", "keep-alive", true}, {"connection", "UPGRADE", true}, {"Connection", "other", true},
		{"Connection", "close", false}, {"Connection", "keep", false}, {"Upgrade", "websocket", true},
		{"Upgrade", "h2c", false}, {"Missing", "x", false},
	}
	for _, c := range tokens {
		if got := r.HasToken(c.name, c.token); got != c.want {
			t.Errorf("HasToken(%q, %q) = %v", c.name, c.token, got)
		}
	}
}

func TestQuery(t *testing.T) {
	r := mustParse(t, req("GET /socket.io/?EIO=4&transport=polling&t=N8hyd6w&flag&e=&sp=a+b%20c%2Fd&bad=%zz&EIO=5 HTTP/1.1", "Host: a"))
	cases := []struct {
		name, raw string
		present   bool
		unesc     string
		unescOK   bool
	}{
		{"EIO", "4", true, "4", true},
		{"transport", "polling", true, "polling", true},
		{"t", "N8hyd6w", true, "N8hyd6w", true},
		{"flag", "", true, "", true},
		{"e", "", true, "", true},
		{"sp", "a+b%20c%2Fd", true, "a b c/d", true},
		{"bad", "%zz", true, "", false},
		{"sid", "", false, "", false},
		{"eio", "", false, "", false},
	}
	for _, c := range cases {
		v := r.Query(c.name)
		if (v != nil) != c.present || string(v) != c.raw {
			t.Errorf("Query(%q) = %q", c.name, v)
		}
		dst := []byte("pre:")
		got, ok := r.AppendQueryUnescaped(dst, c.name)
		if ok != c.unescOK || ok && string(got) != "pre:"+c.unesc || !ok && string(got) != "pre:" {
			t.Errorf("AppendQueryUnescaped(%q) = %q, %v", c.name, got, ok)
		}
	}
	names := make([]string, len(cases)+1)
	for i, c := range cases {
		names[i] = c.name
	}
	names[len(cases)] = "EIO" // a name asked twice gets the same value twice
	vals := make([][]byte, len(names))
	r.QueryValues(names, vals)
	for i, name := range names {
		if want := r.Query(name); (vals[i] != nil) != (want != nil) || string(vals[i]) != string(want) {
			t.Errorf("QueryValues: %q = %q, Query says %q", name, vals[i], want)
		}
	}
	noQuery := mustParse(t, req("GET / HTTP/1.1", "Host: a"))
	vals[0] = []byte("stale")
	noQuery.QueryValues(names[:1], vals)
	if vals[0] != nil {
		t.Error("QueryValues on request without a query")
	}
	if noQuery.Query("a") != nil {
		t.Error("query on request without one")
	}
}
