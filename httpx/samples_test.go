package httpx

import "strings"

// Realistic requests shared by alloc tests, benchmarks and fuzz seeds.
var (
	samplePollingGET = "GET /socket.io/?EIO=4&transport=polling&t=N8hyd6w HTTP/1.1\r\n" +
		"Host: localhost:3000\r\n" +
		"User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36\r\n" +
		"Accept: */*\r\n" +
		"Accept-Encoding: gzip, deflate, br\r\n" +
		"Accept-Language: en-US,en;q=0.9\r\n" +
		"Connection: keep-alive\r\n" +
		"Cookie: io=Xr5vF3s9kLq2; session=abc123\r\n" +
		"Origin: http://localhost:8080\r\n" +
		"Referer: http://localhost:8080/\r\n" +
		"Sec-Fetch-Mode: cors\r\n\r\n"

	samplePOST1K = "POST /socket.io/?EIO=4&transport=polling&t=N8hyd7a&sid=Xr5vF3s9kLq2AAAB HTTP/1.1\r\n" +
		"Host: localhost:3000\r\n" +
		"User-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0\r\n" +
		"Accept: */*\r\n" +
		"Content-Type: text/plain;charset=UTF-8\r\n" +
		"Content-Length: 1024\r\n" +
		"Connection: keep-alive\r\n" +
		"Origin: http://localhost:8080\r\n\r\n" + "4" + strings.Repeat("x", 1023)

	sampleUpgrade = "GET /socket.io/?EIO=4&transport=websocket&sid=Xr5vF3s9kLq2AAAB HTTP/1.1\r\n" +
		"Host: localhost:3000\r\n" +
		"Connection: Upgrade\r\n" +
		"Pragma: no-cache\r\n" +
		"Cache-Control: no-cache\r\n" +
		"User-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0\r\n" +
		"Upgrade: websocket\r\n" +
		"Origin: http://localhost:8080\r\n" +
		"Sec-WebSocket-Version: 13\r\n" +
		"Accept-Encoding: gzip, deflate, br\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
		"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"

	sampleChunked = "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" +
		"5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Checksum: 1\r\n\r\n"
)
