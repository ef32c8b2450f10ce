package wsclient

import (
	"crypto/tls"
	"fmt"
	"net/netip"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// Handler receives connection events on the owning worker goroutine.
type Handler interface {
	// OnReady runs once the server has acknowledged the Socket.IO connect.
	OnReady(c *Conn, now time.Time)
	// OnPacket receives a Socket.IO packet (without the Engine.IO "4"),
	// e.g. `2["broadcast",{...}]` or `317[...]`. p is only valid during the
	// call.
	OnPacket(c *Conn, p []byte, now time.Time)
	// OnClose runs once when the connection fails or is closed; err says why
	// (nil for Engine.Close).
	OnClose(c *Conn, err error)
}

// Config sets up an Engine.
type Config struct {
	Server  netip.AddrPort // IPv4 server address
	Workers int            // epoll goroutines; 0 means 1
	Handler Handler
	MaxFDs  int // connection table size; 0 means the RLIMIT_NOFILE soft limit
	// Transport is how a client reaches its WebSocket: directly (the zero
	// value) or through a polling handshake first, like socket.io-client.
	Transport Transport
	// PostConns bounds the keep-alive connections that carry the POSTs of
	// TransportPolling clients; 0 means DefaultPostConns.
	PostConns int
	// TLS, when set, makes every client speak wss://: a crypto/tls client
	// with this configuration (it needs ServerName or InsecureSkipVerify).
	// TransportWebSocket only.
	TLS *tls.Config
}

// Engine owns the workers and the fd-indexed connection table.
type Engine struct {
	cfg     Config
	sa      unix.SockaddrInet4
	table   []atomic.Pointer[Conn]
	workers []*worker
	next    atomic.Uint32
	stop    atomic.Bool
	done    chan struct{}

	// Requests built once: the WebSocket upgrade without sid, the headers
	// that end every upgrade request after its target (the second leg of
	// TransportPollingUpgrade adds a sid), and the polling handshake GET.
	request, upgradeHeaders, poll []byte
	// TransportPolling: what follows the target of a GET, and of a POST up
	// to its Content-Length value; the pool of POST connections.
	hostHeaders, postHeaders []byte
	posts                    postPool
}

// RaiseNoFile lifts the soft RLIMIT_NOFILE to the hard limit and returns it.
func RaiseNoFile() (uint64, error) {
	var r unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &r); err != nil {
		return 0, err
	}
	r.Cur = r.Max
	if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &r); err != nil {
		return 0, err
	}
	return r.Cur, nil
}

// New starts the workers. Call Close to stop them.
func New(cfg Config) (*Engine, error) {
	if !cfg.Server.Addr().Is4() {
		return nil, fmt.Errorf("wsclient: server %v is not IPv4", cfg.Server)
	}
	if cfg.TLS != nil && cfg.Transport != TransportWebSocket {
		return nil, fmt.Errorf("%w: TLS with %v", ErrTransport, cfg.Transport)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 1
	}
	if cfg.PostConns <= 0 {
		cfg.PostConns = DefaultPostConns
	}
	if cfg.MaxFDs <= 0 {
		var r unix.Rlimit
		if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &r); err != nil {
			return nil, err
		}
		cfg.MaxFDs = int(min(r.Cur, 1<<22))
	}
	e := &Engine{cfg: cfg, table: make([]atomic.Pointer[Conn], cfg.MaxFDs), done: make(chan struct{})}
	e.sa = unix.SockaddrInet4{Port: int(cfg.Server.Port()), Addr: cfg.Server.Addr().As4()}
	e.upgradeHeaders = fmt.Appendf(nil, " HTTP/1.1\r\n"+
		"Host: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: c2lvLWZhc3QtYmVuY2gtMQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", cfg.Server)
	e.request = append([]byte(wsTarget), e.upgradeHeaders...)
	e.poll = appendPoll(nil, cfg.Server)
	e.hostHeaders = fmt.Appendf(nil, " HTTP/1.1\r\nHost: %s\r\n\r\n", cfg.Server)
	e.postHeaders = fmt.Appendf(nil, " HTTP/1.1\r\nHost: %s\r\n"+
		"Content-Type: text/plain;charset=UTF-8\r\nContent-Length: ", cfg.Server)
	e.posts.e = e
	for range cfg.Workers {
		w, err := newWorker(e)
		if err != nil {
			e.Close()
			return nil, err
		}
		e.workers = append(e.workers, w)
	}
	for _, w := range e.workers {
		go w.run()
	}
	return e, nil
}

// Dial starts connecting client id, from source address src when valid
// (a 127.x address spreads connections over more ephemeral ports, and keeps
// the kernel's port search short: connect(2) walks used ports, so its cost
// grows with the connections already open from one address). It returns
// once the connect is in flight; the outcome arrives through the Handler.
// Any goroutine.
func (e *Engine) Dial(id int, src netip.Addr) (*Conn, error) {
	fd, err := e.socket(src)
	if err != nil {
		return nil, err
	}
	w := e.workers[int(e.next.Add(1))%len(e.workers)]
	c := &Conn{ID: id, Started: time.Now(), Room: -1, fd: fd, w: w, src: src, state: stConnecting}
	c.rd.ClientSide = true
	if e.cfg.TLS != nil {
		c.tls = newTLS(c, e.cfg.TLS)
	}
	if e.cfg.Transport == TransportPolling {
		c.poll = &pollClient{}
	}
	if err := e.start(c, fd); err != nil {
		e.table[fd].Store(nil)
		unix.Close(fd)
		return nil, err
	}
	return c, nil
}

// socket opens a non-blocking TCP socket bound to src when valid.
func (e *Engine) socket(src netip.Addr) (int, error) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	if fd >= len(e.table) {
		unix.Close(fd)
		return -1, ErrTableFull
	}
	_ = unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
	if src.IsValid() {
		// Choose the port at connect time, per 4-tuple, instead of at bind
		// time, where every bound port is taken for all destinations.
		_ = unix.SetsockoptInt(fd, unix.IPPROTO_IP, unix.IP_BIND_ADDRESS_NO_PORT, 1)
		if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: src.As4()}); err != nil {
			unix.Close(fd)
			return -1, err
		}
	}
	return fd, nil
}

// start publishes c under fd (c's socket), starts the connect and hands
// the socket to c's worker. fd is passed rather than read from c: once c is
// in the table its worker may own it. On error the caller closes fd.
func (e *Engine) start(c *Conn, fd int) error {
	e.table[fd].Store(c)
	// A copy per call: Connect encodes into the sockaddr's own buffer, and
	// Dial callers and workers (polling upgrade) connect concurrently.
	sa := e.sa
	if err := unix.Connect(fd, &sa); err != nil && err != unix.EINPROGRESS {
		return err
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLOUT | unix.EPOLLRDHUP | unix.EPOLLET, Fd: int32(fd)}
	return unix.EpollCtl(c.w.epfd, unix.EPOLL_CTL_ADD, fd, &ev)
}

// Close stops the workers and closes every connection. Any goroutine, once.
func (e *Engine) Close() {
	if e.stop.Swap(true) {
		return
	}
	for _, w := range e.workers {
		<-w.exited
	}
	for i := range e.table {
		if c := e.table[i].Load(); c != nil {
			c.w.closeConn(c, nil)
		}
	}
	for _, w := range e.workers {
		unix.Close(w.epfd)
	}
}
