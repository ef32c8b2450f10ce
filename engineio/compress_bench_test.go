package engineio

import (
	"strings"
	"testing"
)

func BenchmarkPickEncoding(b *testing.B) {
	h := []byte("gzip, deflate, br, zstd")
	b.ReportAllocs()
	for b.Loop() {
		_ = pickEncoding(h)
	}
}

func BenchmarkCompressBody(b *testing.B) {
	body := []byte(strings.Repeat(`42["message",{"text":"hello"}]`+"\x1e", 100))
	for _, enc := range []string{encodingGzip, encodingDeflate} {
		b.Run(enc, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				_ = compressBody(enc, body)
			}
		})
	}
}
