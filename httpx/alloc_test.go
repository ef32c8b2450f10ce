//go:build !race

package httpx

import "testing"

func TestAllocParse(t *testing.T) {
	cases := []struct{ name, in string }{
		{"polling GET", samplePollingGET},
		{"POST 1KiB", samplePOST1K},
		{"upgrade", sampleUpgrade},
		{"chunked", sampleChunked},
	}
	for _, c := range cases {
		buf := []byte(c.in)
		var p Parser
		allocs := testing.AllocsPerRun(200, func() {
			n, err := p.Parse(buf)
			if err != nil || n != len(buf) {
				t.Fatalf("%s: %d %v", c.name, n, err)
			}
			r := p.Request()
			_ = r.Header("Cookie")
			_ = r.Header("origin")
			_ = r.HasToken("Connection", "keep-alive")
			_ = r.Query("EIO")
			_ = r.Query("sid")
			var vals [4][]byte
			r.QueryValues([]string{"EIO", "transport", "sid", "b64"}, vals[:])
		})
		if allocs != 0 {
			t.Errorf("%s: %.1f allocs per parse", c.name, allocs)
		}
	}
}

func TestAllocOneByteFeed(t *testing.T) {
	buf := []byte(samplePollingGET)
	var p Parser
	allocs := testing.AllocsPerRun(50, func() {
		for i := 1; i <= len(buf); i++ {
			if n, err := p.Parse(buf[:i]); err != nil || n != 0 && n != len(buf) {
				t.Fatal(n, err)
			}
		}
	})
	if allocs != 0 {
		t.Errorf("%.1f allocs per one-byte feed", allocs)
	}
}

func TestAllocUpgradeAndResponse(t *testing.T) {
	var p Parser
	buf := []byte(sampleUpgrade)
	dst := make([]byte, 0, 4096)
	body := []byte("0{\"sid\":\"Xr5vF3s9kLq2AAAB\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000}")
	allocs := testing.AllocsPerRun(200, func() {
		if _, err := p.Parse(buf); err != nil {
			t.Fatal(err)
		}
		r := p.Request()
		key, e := CheckUpgrade(r)
		if e != nil {
			t.Fatal(e)
		}
		var unesc [64]byte
		_, _ = r.AppendQueryUnescaped(unesc[:0], "sid")
		out := AppendAcceptKey(dst[:0], key)
		out = AppendSwitchingProtocolsHead(out[:0], key)
		out = AppendHeader(out, "Sec-WebSocket-Extensions", "permessage-deflate")
		out = AppendEndHeaders(out)
		out = AppendResponse(out[:0], 200, "text/plain; charset=UTF-8", body, true)
		out = AppendErrorResponse(out[:0], ErrUpgradeWSVersion, false)
		_ = out
	})
	if allocs != 0 {
		t.Errorf("%.1f allocs", allocs)
	}
}
