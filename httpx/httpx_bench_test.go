package httpx

import "testing"

func benchParse(b *testing.B, in string) {
	buf := []byte(in)
	var p Parser
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		if n, err := p.Parse(buf); n != len(buf) || err != nil {
			b.Fatal(n, err)
		}
	}
}

func BenchmarkParsePollingGET(b *testing.B) { benchParse(b, samplePollingGET) }
func BenchmarkParsePOST1K(b *testing.B)     { benchParse(b, samplePOST1K) }
func BenchmarkParseUpgrade(b *testing.B)    { benchParse(b, sampleUpgrade) }
func BenchmarkParseChunked(b *testing.B)    { benchParse(b, sampleChunked) }

// BenchmarkParseOneByteFeed measures the worst-case drip feed of a polling
// GET: one Parse call per byte.
func BenchmarkParseOneByteFeed(b *testing.B) {
	buf := []byte(samplePollingGET)
	var p Parser
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		for i := 1; i <= len(buf); i++ {
			if _, err := p.Parse(buf[:i]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkUpgradeHandshake(b *testing.B) {
	buf := []byte(sampleUpgrade)
	var p Parser
	dst := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Parse(buf); err != nil {
			b.Fatal(err)
		}
		key, e := CheckUpgrade(p.Request())
		if e != nil {
			b.Fatal(e)
		}
		dst = AppendSwitchingProtocols(dst[:0], key)
	}
}

func BenchmarkAppendResponse(b *testing.B) {
	body := make([]byte, 64)
	dst := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		dst = AppendResponse(dst[:0], 200, "text/plain; charset=UTF-8", body, true)
	}
}

func BenchmarkLookups(b *testing.B) {
	var p Parser
	if _, err := p.Parse([]byte(samplePollingGET)); err != nil {
		b.Fatal(err)
	}
	r := p.Request()
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Header("Origin")
		_ = r.HasToken("Connection", "keep-alive")
		_ = r.Query("transport")
	}
}

// BenchmarkQueryRouting reads what Engine.IO routes a long-poll by (EIO,
// transport, sid, b64) from siobench's polling GET: one Query each, or one
// QueryValues pass.
func BenchmarkQueryRouting(b *testing.B) {
	r := Request{RawQuery: []byte("EIO=4&transport=polling&sid=Xr5vF3s9kLq2AAAB3kQx")}
	b.Run("Query", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = r.Query("EIO")
			_ = r.Query("transport")
			_ = r.Query("sid")
			_ = r.Query("b64")
		}
	})
	b.Run("QueryValues", func(b *testing.B) {
		names := []string{"EIO", "transport", "sid", "b64"}
		var vals [4][]byte
		b.ReportAllocs()
		for b.Loop() {
			r.QueryValues(names, vals[:])
		}
	})
}

// BenchmarkParseSiobenchGET parses the long-poll GET siobench's polling
// clients send (issue 16 part 6's fan-out): a 20-character sid, one Host.
func BenchmarkParseSiobenchGET(b *testing.B) {
	benchParse(b, "GET /socket.io/?EIO=4&transport=polling&sid=Xr5vF3s9kLq2AAAB3kQx HTTP/1.1\r\nHost: 127.0.0.1:52200\r\n\r\n")
}
