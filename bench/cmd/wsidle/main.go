// Command wsidle measures the foundation alone (loop + httpx + WebSocket
// framing): it opens N idle WebSocket connections to a server started with
// `sio-fast -mode ws-echo`, reports the upgrade rate, and the server's
// resident memory per connection above the empty server, read from /proc.
//
//	wsidle -addr 127.0.0.1:3000 -pid PID -n 18000 [-workers 64] [-tls-ca ca.pem]
//	wsidle -addr 127.0.0.1:3000 -tls-ca ca.pem -handshakes -n 5000
//	wsidle -addr 127.0.0.1:3000 -pid PID -n 5000 -upgrade -sio -path '/socket.io/?EIO=4&transport=websocket'
//
// With -upgrade each session opens by polling and upgrades (upgrade.go).
//
// With -tls-ca the connections are wss:// (TLS 1.3, X25519 only, so that
// every server does the same key exchange; full handshakes, no resumption),
// trusting the CA in that PEM file. -handshakes only counts TLS handshakes
// per second: each connection closes once its handshake is done.
//
// Connections come from addresses spread over 127.0.0.0/8, a new source
// address every 1,000 connections, so ephemeral ports never run short.
package main

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/sio-fast/sio-fast/bench/internal/procstat"
)

const connsPerSource = 1000

const upgradeHeaders = " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
	"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"

// sioConnect is the masked WebSocket text frame "40": a Socket.IO CONNECT
// to the main namespace.
var sioConnect = []byte{0x81, 0x82, 1, 2, 3, 4, '4' ^ 1, '0' ^ 2}

var (
	reqPath = "/"
	sendSIO = false
	// viaPolling (-upgrade): sessions open by polling and upgrade.
	viaPolling = false
	tlsConf    *tls.Config // -tls or -tls-ca: dial TLS
)

func main() {
	addr := flag.String("addr", "127.0.0.1:3000", "ws-echo server address")
	pid := flag.Int("pid", 0, "server process id (for /proc)")
	n := flag.Int("n", 18000, "connections")
	workers := flag.Int("workers", 64, "concurrent handshakes")
	settle := flag.Duration("settle", 3*time.Second, "wait before reading memory")
	flag.StringVar(&reqPath, "path", "/", "request target of the upgrade, e.g. /engine.io/?EIO=4&transport=websocket")
	insecure := flag.Bool("tls", false, "connect over TLS (wss), without verifying the certificate")
	flag.BoolVar(&sendSIO, "sio", false, "after the upgrade, connect to the Socket.IO main namespace (send 40)")
	hold := flag.Duration("hold", 0, "keep the connections open this long after printing (e.g. to take a heap profile of the server)")
	polling := flag.Bool("polling", false, "measure Engine.IO polling handshakes per second instead (GET -path, keep-alive)")
	flag.BoolVar(&viaPolling, "upgrade", false, "open each session by polling (its own connection, closed after), then upgrade it to a WebSocket on -path with the probe, as socket.io-client does (with -sio, CONNECT goes over polling)")
	caFile := flag.String("tls-ca", "", "dial TLS (wss://), trusting the CA certificate in this PEM file")
	handshakes := flag.Bool("handshakes", false, "with -tls-ca: measure TLS handshakes per second instead (closed after each)")
	flag.Parse()
	if *insecure {
		tlsConf = &tls.Config{InsecureSkipVerify: true, NextProtos: []string{"http/1.1"}}
	}
	if *caFile != "" {
		var err error
		if tlsConf, err = loadTLS(*caFile, *addr); err != nil {
			fmt.Fprintln(os.Stderr, "wsidle:", err)
			os.Exit(1)
		}
	}
	if *handshakes {
		tlsHandshakes(*addr, *pid, *n, *workers)
		return
	}
	if *polling {
		pollingHandshakes(*addr, *n, *workers)
		return
	}
	raiseNoFile()
	base := rssKiB(*pid)
	conns := make([]net.Conn, *n)
	var next, failed atomic.Int64
	cpu0, _ := procstat.Read(*pid)
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= *n {
					return
				}
				open := upgrade
				if viaPolling {
					open = upgradeFromPolling
				}
				c, err := open(*addr, i)
				if err != nil {
					failed.Add(1)
					continue
				}
				conns[i] = c
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	ok := int64(*n) - failed.Load()
	cpu1, cpuErr := procstat.Read(*pid)
	time.Sleep(*settle)
	after := rssKiB(*pid)
	fmt.Printf("connections=%d failed=%d upgrades_per_sec=%.0f\n", ok, failed.Load(), float64(ok)/elapsed.Seconds())
	if *pid > 0 && cpuErr == nil && ok > 0 {
		fmt.Printf("server_cpu_per_conn_us=%d\n", ((cpu1.CPU - cpu0.CPU) / time.Duration(ok)).Microseconds())
	}
	if *pid > 0 && ok > 0 {
		fmt.Printf("server_rss_empty_kib=%d server_rss_loaded_kib=%d bytes_per_conn=%.0f\n",
			base, after, float64(after-base)*1024/float64(ok))
	}
	time.Sleep(*hold)
	for _, c := range conns {
		if c != nil {
			_ = c.Close()
		}
	}
}

func upgrade(addr string, i int) (net.Conn, error) {
	c, err := dialFrom(addr, i)
	if err != nil {
		return nil, err
	}
	if err := openWS(c, reqPath); err != nil {
		c.Close()
		return nil, err
	}
	if sendSIO {
		if _, err := c.Write(sioConnect); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}

// dialFrom dials addr from the source address of connection i.
func dialFrom(addr string, i int) (net.Conn, error) {
	// A new source address every connsPerSource connections keeps the
	// kernel's ephemeral port search short: it is linear in the ports in
	// use for the same (source, destination) pair.
	k := i / connsPerSource
	src := &net.TCPAddr{IP: net.IPv4(127, byte(1+k/250), 0, byte(1+k%250))}
	d := net.Dialer{LocalAddr: src, Timeout: 10 * time.Second, Control: bindNoPort}
	return dial(d, addr)
}

// openWS sends the WebSocket upgrade for path on c and reads the 101.
func openWS(c net.Conn, path string) error {
	if _, err := c.Write([]byte("GET " + path + upgradeHeaders)); err != nil {
		return err
	}
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReaderSize(c, 512)
	line, err := r.ReadSlice('\n')
	if err != nil || !bytes.Contains(line, []byte(" 101 ")) {
		return fmt.Errorf("no 101: %q %v", line, err)
	}
	for {
		l, err := r.ReadSlice('\n')
		if err != nil {
			return err
		}
		if len(l) <= 2 {
			break
		}
	}
	return c.SetReadDeadline(time.Time{})
}

// pollingHandshakes runs n polling handshakes (GET reqPath) over keep-alive
// connections, workers at a time, and prints the rate.
func pollingHandshakes(addr string, n, workers int) {
	var next, failed atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	req := []byte("GET " + reqPath + " HTTP/1.1\r\nHost: x\r\n\r\n")
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", addr)
			if err != nil {
				failed.Add(1)
				return
			}
			defer c.Close()
			r := bufio.NewReader(c)
			for int(next.Add(1)) <= n {
				if _, err := c.Write(req); err != nil {
					failed.Add(1)
					return
				}
				resp, err := http.ReadResponse(r, nil)
				if err != nil || resp.StatusCode != 200 {
					failed.Add(1)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	ok := int64(n) - failed.Load()
	fmt.Printf("polling_handshakes=%d failed=%d handshakes_per_sec=%.0f\n", ok, failed.Load(), float64(ok)/el.Seconds())
}

func rssKiB(pid int) int64 {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			v, _ := strconv.ParseInt(f[1], 10, 64)
			return v
		}
	}
	return 0
}

func raiseNoFile() {
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) == nil {
		lim.Cur = lim.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
}

// bindNoPort sets IP_BIND_ADDRESS_NO_PORT: with a source address but no
// port, the kernel then picks the port at connect time per 4-tuple, instead
// of searching for a port free for every destination at bind time (which
// costs milliseconds per connection once thousands are open).
func bindNoPort(network, address string, rc syscall.RawConn) error {
	const ipBindAddressNoPort = 24
	var serr error
	err := rc.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IP, ipBindAddressNoPort, 1)
	})
	if err != nil {
		return err
	}
	return serr
}

// loadTLS returns the client configuration of -tls-ca.
func loadTLS(caFile, addr string) (*tls.Config, error) {
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s: no certificate", caFile)
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	return &tls.Config{
		ServerName:       host,
		RootCAs:          pool,
		MinVersion:       tls.VersionTLS13,
		CurvePreferences: []tls.CurveID{tls.X25519},
	}, nil
}

// dial connects, then runs the TLS handshake when -tls-ca is set.
func dial(d net.Dialer, addr string) (net.Conn, error) {
	c, err := d.Dial("tcp", addr)
	if err != nil || tlsConf == nil {
		return c, err
	}
	tc := tls.Client(c, tlsConf)
	_ = tc.SetDeadline(time.Now().Add(10 * time.Second))
	if err := tc.Handshake(); err != nil {
		c.Close()
		return nil, err
	}
	_ = tc.SetDeadline(time.Time{})
	return tc, nil
}

// tlsHandshakes runs n TLS handshakes, workers at a time, each on a new
// connection closed right after, and prints the rate and, with the server's
// pid, its CPU time per handshake: the rate one server core sustains,
// whether or not the client kept up.
func tlsHandshakes(addr string, pid, n, workers int) {
	if tlsConf == nil {
		fmt.Fprintln(os.Stderr, "wsidle: -handshakes needs -tls-ca")
		os.Exit(2)
	}
	raiseNoFile()
	var next, failed atomic.Int64
	cpu0, _ := procstat.Read(pid)
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				k := i / connsPerSource
				src := &net.TCPAddr{IP: net.IPv4(127, byte(1+k/250), 0, byte(1+k%250))}
				c, err := dial(net.Dialer{LocalAddr: src, Timeout: 10 * time.Second, Control: bindNoPort}, addr)
				if err != nil {
					failed.Add(1)
					continue
				}
				_ = c.Close()
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	ok := int64(n) - failed.Load()
	fmt.Printf("tls_handshakes=%d failed=%d handshakes_per_sec=%.0f", ok, failed.Load(), float64(ok)/el.Seconds())
	if cpu1, err := procstat.Read(pid); pid > 0 && err == nil && ok > 0 {
		per := (cpu1.CPU - cpu0.CPU) / time.Duration(ok)
		fmt.Printf(" server_cpu_per_handshake_us=%.0f server_handshakes_per_cpu_sec=%.0f", float64(per.Microseconds()), float64(time.Second)/float64(per))
	}
	fmt.Println()
}
