package engineio

import (
	"net/http/httptest"
	"testing"
)

// FuzzWriteAnswer feeds writeAnswer arbitrary bytes as the engine's answer
// (split anywhere a pipe could have received them): it must copy a valid
// response or refuse, never panic.
func FuzzWriteAnswer(f *testing.F) {
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"))
	f.Add([]byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 99\r\n\r\n{}"))
	f.Add([]byte("HTTP/1.1 204\r\n\r\n"))
	f.Add([]byte("HTTP/1.1\r\n\r\n"))
	f.Add([]byte("HTTP/1.1 0 x\r\n\r\n")) // found by the fuzzer: net/http panics on status 0
	f.Fuzz(func(t *testing.T, raw []byte) {
		w := httptest.NewRecorder()
		if err := writeAnswer(w, raw); err == nil && (w.Code < 100 || w.Code > 999) {
			t.Fatalf("status %d accepted", w.Code)
		}
	})
}
