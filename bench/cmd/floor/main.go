// Command floor is the syscall floor of sio-fast's fan-out benchmarks: the
// least work any server can do to deliver a broadcast over WebSocket.
//
// It is one thread (GOMAXPROCS 1, runtime.LockOSThread, one epoll loop) that
// speaks just enough of the bench contract (/work/shared/bench-contract.md)
// for siobench's unchanged clients: the WebSocket upgrade of
// GET /socket.io/?EIO=4&transport=websocket, the Engine.IO open packet, the
// Socket.IO connect (40), and the events echo, broadcast, join, leave and
// to-room. There is no Socket.IO state machine, no JSON parsing, no
// heartbeat timer (it answers pings, it never sends any), no polling.
//
// A broadcast is encoded once: the client's packet re-framed as an unmasked
// text frame, 42["broadcast",data]. Then a plain loop writes that frame to
// every recipient with one write(2) each: no batching, no coalescing of
// several broadcasts into one write, no writev. That is the point: the time
// of that loop is what the system calls alone cost, the floor a real server
// sits on when it cannot batch (one broadcast at a time, e.g. 10/s), and the
// figure that batching (several broadcasts in flight, one write per
// connection per turn) can go beyond.
//
// It measures the loop: the wall time of every broadcast's write loop, its
// recipients and how many writes would have blocked. Every second with
// broadcasts it logs the count, mean, p50, p99 and max of the loop and the
// µs per write(2) on stderr; on SIGTERM/SIGINT it prints a summary line per
// recipient count and exits. -trace FILE also writes one CSV line per
// broadcast (start_unix_ns,loop_ns,recipients,blocked), which siocompare cuts
// into its measured windows.
//
// A write that would block (EAGAIN), or is short, leaves the rest in a
// per-connection buffer flushed on EPOLLOUT (later frames queue behind it);
// such writes are counted as blocked.
//
// With -batch it is the batching limit instead (siocompare's floor-batch
// peer): every frame for a connection, broadcasts and replies alike, is
// appended to that connection's buffer, and each buffer is written with one
// write(2) once the events of one epoll_wait are handled. Several broadcasts
// in flight then leave in one write per connection, which is what a real
// server's batching can reach at best; the trace then times the append loop.
//
//	floor [-port N] [-trace FILE] [-batch]     (or PORT=N; HOST, default 127.0.0.1)
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

func main() {
	port := flag.Int("port", 0, "listen port (default $PORT, else 3000)")
	trace := flag.String("trace", "", "write one CSV line per broadcast to `file`")
	batch := flag.Bool("batch", false, "append frames to per-connection buffers, one write(2) per connection per epoll_wait")
	flag.Parse()
	if *port == 0 {
		*port, _ = strconv.Atoi(os.Getenv("PORT"))
	}
	if *port == 0 {
		*port = 3000
	}
	host := os.Getenv("HOST")
	if host == "" {
		host = "127.0.0.1"
	}
	if err := run(host, *port, *trace, *batch); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}

func run(host string, port int, tracePath string, batch bool) error {
	runtime.GOMAXPROCS(1)
	runtime.LockOSThread()
	raiseNoFile()
	s, err := newServer(host, port)
	if err != nil {
		return err
	}
	s.batch = batch
	if tracePath != "" {
		f, err := os.Create(tracePath)
		if err != nil {
			return err
		}
		defer f.Close()
		s.stats.trace = bufio.NewWriterSize(f, 64<<10)
		defer s.stats.trace.Flush()
	}
	// The Go runtime owns signal delivery; a goroutine turns SIGTERM into
	// a readable eventfd so the loop itself stays the only one serving.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-sigs
		unix.Write(s.evfd, []byte{1, 0, 0, 0, 0, 0, 0, 0})
	}()
	fmt.Printf("floor listening on %s:%d\n", host, port)
	err = s.loop()
	s.stats.summary(os.Stderr)
	return err
}

func raiseNoFile() {
	var r unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NOFILE, &r) == nil {
		r.Cur = r.Max
		unix.Setrlimit(unix.RLIMIT_NOFILE, &r)
	}
}

// Connection states.
const (
	stHTTP  uint8 = iota // reading the upgrade request
	stOpen               // WebSocket open, waiting for the Socket.IO connect
	stReady              // Socket.IO connected: receives broadcasts
)

type conn struct {
	fd    int
	state uint8
	idx   int    // index in server.all while ready
	dead  bool   // closed; freed after the current write loop
	rbuf  []byte // input not yet consumed (a split request or frame)
	wbuf  []byte // output the kernel refused, flushed on EPOLLOUT
	pend  []byte // -batch: frames of this turn, written by flushBatch
	rooms []string
}

type server struct {
	epfd, lfd, evfd int
	conns           []*conn // by fd
	all             []*conn // Socket.IO-connected, the broadcast list
	rooms           map[string][]*conn
	dead            []*conn
	scratch         []byte
	frame           []byte // the current broadcast, encoded once
	out             []byte // a reply frame
	pkt             []byte // a reply packet
	sid             uint64
	stats           stats
	batch           bool    // -batch: send appends to conn.pend
	dirty           []*conn // -batch: connections with pend bytes
}

func newServer(host string, port int) (*server, error) {
	s := &server{rooms: map[string][]*conn{}, scratch: make([]byte, 64<<10)}
	var err error
	if s.epfd, err = unix.EpollCreate1(unix.EPOLL_CLOEXEC); err != nil {
		return nil, err
	}
	if s.evfd, err = unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK); err != nil {
		return nil, err
	}
	if s.lfd, err = unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0); err != nil {
		return nil, err
	}
	unix.SetsockoptInt(s.lfd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1)
	sa := &unix.SockaddrInet4{Port: port}
	ip, err := parseIPv4(host)
	if err != nil {
		return nil, err
	}
	sa.Addr = ip
	if err := unix.Bind(s.lfd, sa); err != nil {
		return nil, fmt.Errorf("bind %s:%d: %w", host, port, err)
	}
	if err := unix.Listen(s.lfd, 4096); err != nil {
		return nil, err
	}
	for _, fd := range []int{s.lfd, s.evfd} {
		ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(fd)}
		if err := unix.EpollCtl(s.epfd, unix.EPOLL_CTL_ADD, fd, &ev); err != nil {
			return nil, err
		}
	}
	s.stats.init(time.Now())
	return s, nil
}

func parseIPv4(h string) ([4]byte, error) {
	var ip [4]byte
	n, part := 0, 0
	for i := 0; i <= len(h); i++ {
		if i == len(h) || h[i] == '.' {
			if n > 3 || i == 0 {
				return ip, fmt.Errorf("HOST %q: not an IPv4 address", h)
			}
			ip[n], n, part = byte(part), n+1, 0
			continue
		}
		if h[i] < '0' || h[i] > '9' || part > 25 {
			return ip, fmt.Errorf("HOST %q: not an IPv4 address", h)
		}
		part = part*10 + int(h[i]-'0')
	}
	if n != 4 || part != 0 {
		return ip, fmt.Errorf("HOST %q: not an IPv4 address", h)
	}
	return ip, nil
}

// loop serves until the eventfd fires (SIGTERM/SIGINT).
func (s *server) loop() error {
	events := make([]unix.EpollEvent, 1024)
	for {
		n, err := unix.EpollWait(s.epfd, events, 1000)
		if err != nil && err != unix.EINTR {
			return err
		}
		for i := 0; i < n; i++ {
			fd := int(events[i].Fd)
			switch {
			case fd == s.lfd:
				s.accept()
			case fd == s.evfd:
				return nil
			case fd < len(s.conns) && s.conns[fd] != nil:
				s.handle(s.conns[fd], events[i].Events)
			}
			s.reap()
		}
		s.flushBatch()
		s.reap()
		s.stats.tick(time.Now(), os.Stderr)
	}
}

func (s *server) accept() {
	for {
		fd, _, err := unix.Accept4(s.lfd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
		if err == unix.EINTR || err == unix.ECONNABORTED {
			continue
		}
		if err != nil {
			if err != unix.EAGAIN {
				fmt.Fprintln(os.Stderr, "floor: accept:", err)
			}
			return
		}
		unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
		for fd >= len(s.conns) {
			s.conns = append(s.conns, make([]*conn, len(s.conns)+1024)...)
		}
		c := &conn{fd: fd, idx: -1}
		s.conns[fd] = c
		ev := unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLOUT | unix.EPOLLRDHUP | unix.EPOLLET, Fd: int32(fd)}
		if err := unix.EpollCtl(s.epfd, unix.EPOLL_CTL_ADD, fd, &ev); err != nil {
			s.kill(c)
		}
	}
}

func (s *server) handle(c *conn, evs uint32) {
	if evs&unix.EPOLLOUT != 0 && len(c.wbuf) > 0 {
		s.flush(c)
	}
	if evs&(unix.EPOLLIN|unix.EPOLLRDHUP|unix.EPOLLHUP|unix.EPOLLERR) == 0 {
		return
	}
	for !c.dead { // edge-triggered: read until EAGAIN
		n0 := copy(s.scratch, c.rbuf)
		if n0 == len(s.scratch) { // a frame larger than the scratch buffer
			s.scratch = make([]byte, 2*len(s.scratch))
			n0 = copy(s.scratch, c.rbuf)
		}
		n, err := unix.Read(c.fd, s.scratch[n0:])
		if err == unix.EINTR {
			continue
		}
		if err == unix.EAGAIN {
			return
		}
		if err != nil || n == 0 {
			s.kill(c)
			return
		}
		buf := s.scratch[:n0+n]
		used, err := s.consume(c, buf)
		if err != nil {
			s.kill(c)
			return
		}
		c.rbuf = append(c.rbuf[:0], buf[used:]...)
		if len(c.rbuf) == 0 {
			c.rbuf = nil // an idle connection holds no buffer
		}
		if n < len(s.scratch)-n0 {
			return
		}
	}
}

var errClose = errors.New("close")

// consume handles the complete request or frames at the head of buf and
// returns how many bytes it used.
func (s *server) consume(c *conn, buf []byte) (int, error) {
	used := 0
	if c.state == stHTTP {
		n, key, err := parseUpgrade(buf)
		if err != nil {
			unix.Write(c.fd, []byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
			return 0, err
		}
		if n == 0 {
			return 0, nil
		}
		used = n
		s.sid++
		s.out = append(s.out[:0], "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "...)
		s.out = append(s.out, acceptKey(key)...)
		s.out = append(s.out, "\r\n\r\n"...)
		s.pkt = append(s.pkt[:0], `0{"sid":"`...)
		s.pkt = appendSID(s.pkt, s.sid)
		s.pkt = append(s.pkt, `","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`...)
		s.out = appendFrame(s.out, opText, s.pkt)
		s.send(c, s.out)
		c.state = stOpen
	}
	for used < len(buf) && !c.dead {
		op, payload, n, err := parseFrame(buf[used:])
		if err != nil {
			return used, err
		}
		if n == 0 {
			break
		}
		used += n
		switch op {
		case opText:
			if err := s.packet(c, payload); err != nil {
				return used, err
			}
		case opPing:
			s.send(c, appendFrame(s.out[:0], opPong, payload))
		case opPong:
		case opClose:
			return used, errClose
		default: // binary, fragments: not part of the contract
			return used, errBadFrame
		}
	}
	return used, nil
}

// packet handles one Engine.IO packet.
func (s *server) packet(c *conn, p []byte) error {
	if len(p) == 0 {
		return errBadFrame
	}
	switch p[0] {
	case '2': // Engine.IO ping from a client: pong
		s.reply(c, append(s.pkt[:0], '3'))
		return nil
	case '3', '6':
		return nil
	case '1':
		return errClose
	case '4':
	default:
		return errBadFrame
	}
	p = p[1:]
	switch {
	case len(p) > 0 && p[0] == '0': // connect (namespace / only)
		if c.state == stOpen {
			c.state = stReady
			c.idx = len(s.all)
			s.all = append(s.all, c)
		}
		s.sid++
		s.pkt = append(s.pkt[:0], `40{"sid":"`...)
		s.pkt = appendSID(s.pkt, s.sid)
		s.reply(c, append(s.pkt, `"}`...))
		return nil
	case len(p) > 0 && p[0] == '1':
		return errClose
	case len(p) > 0 && p[0] == '2' && c.state == stReady:
	default:
		return nil // other namespaces, binary events: ignored
	}
	ev, ok := parseEvent(p)
	if !ok {
		return nil
	}
	switch string(ev.Name) {
	case "broadcast":
		s.fanout(s.all, p, ev, ev.Args)
		s.ack(c, ev, nil)
	case "to-room":
		if room, data, ok := splitString(ev.Args); ok {
			s.fanout(s.rooms[string(room)], p, ev, data)
		}
		s.ack(c, ev, nil)
	case "echo":
		s.ack(c, ev, ev.Args)
	case "join":
		if room, _, ok := splitString(ev.Args); ok {
			s.join(c, string(room))
		}
		s.ack(c, ev, ev.Args)
	case "leave":
		if room, _, ok := splitString(ev.Args); ok {
			s.leave(c, string(room))
		}
		s.ack(c, ev, nil)
	}
	return nil
}

// fanout encodes 42["broadcast",data] once, as a server text frame, and
// writes it to every member, one write(2) each: the measured loop. Without
// an ack id the client's broadcast packet already is that, byte for byte.
func (s *server) fanout(members []*conn, p []byte, ev event, data []byte) {
	s.pkt = append(s.pkt[:0], '4')
	if ev.ID < 0 && string(ev.Name) == "broadcast" {
		s.pkt = append(s.pkt, p...)
	} else {
		s.pkt = append(s.pkt, `2["broadcast"`...)
		if len(data) > 0 {
			s.pkt = append(append(s.pkt, ','), data...)
		}
		s.pkt = append(s.pkt, ']')
	}
	s.frame = appendFrame(s.frame[:0], opText, s.pkt)
	start := time.Now()
	blocked := 0
	for _, c := range members {
		if s.send(c, s.frame) {
			blocked++
		}
	}
	s.stats.record(start, time.Since(start), len(members), blocked)
}

// ack answers 43<id>[args] when the client asked for an ack.
func (s *server) ack(c *conn, ev event, args []byte) {
	if ev.ID < 0 {
		return
	}
	s.pkt = append(s.pkt[:0], "43"...)
	s.pkt = strconv.AppendInt(s.pkt, ev.ID, 10)
	s.pkt = append(append(append(s.pkt, '['), args...), ']')
	s.send(c, appendFrame(s.out[:0], opText, s.pkt))
}

// reply sends one Engine.IO packet held in s.pkt.
func (s *server) reply(c *conn, pkt []byte) {
	s.send(c, appendFrame(s.out[:0], opText, pkt))
}

func (s *server) join(c *conn, room string) {
	for _, r := range c.rooms {
		if r == room {
			return
		}
	}
	c.rooms = append(c.rooms, room)
	s.rooms[room] = append(s.rooms[room], c)
}

func (s *server) leave(c *conn, room string) {
	for i, r := range c.rooms {
		if r == room {
			c.rooms = append(c.rooms[:i], c.rooms[i+1:]...)
			s.rooms[room] = without(s.rooms[room], c)
			if len(s.rooms[room]) == 0 {
				delete(s.rooms, room)
			}
			return
		}
	}
}

func without(list []*conn, c *conn) []*conn {
	for i, x := range list {
		if x == c {
			list[i] = list[len(list)-1]
			list[len(list)-1] = nil
			return list[:len(list)-1]
		}
	}
	return list
}

// send writes b to c, or with -batch appends it to c's buffer for
// flushBatch. It reports whether (part of) b had to be buffered behind bytes
// the kernel refused.
func (s *server) send(c *conn, b []byte) (blocked bool) {
	if !s.batch {
		return s.write(c, b)
	}
	if c.dead {
		return false
	}
	if len(c.pend) == 0 {
		s.dirty = append(s.dirty, c)
	}
	c.pend = append(c.pend, b...)
	return false
}

// flushBatch writes every connection's buffer of this turn with one write(2)
// each (-batch).
func (s *server) flushBatch() {
	for _, c := range s.dirty {
		s.write(c, c.pend)
		c.pend = c.pend[:0]
	}
	clear(s.dirty)
	s.dirty = s.dirty[:0]
}

// write writes b to c with one write(2), or queues it behind bytes the kernel
// refused earlier. It reports whether (part of) b had to be buffered.
func (s *server) write(c *conn, b []byte) (blocked bool) {
	if c.dead {
		return false
	}
	if len(c.wbuf) > 0 {
		c.wbuf = append(c.wbuf, b...)
		return true
	}
	for {
		n, err := unix.Write(c.fd, b)
		switch err {
		case nil:
			if n == len(b) {
				return false
			}
			c.wbuf = append(c.wbuf, b[n:]...)
			return true
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			c.wbuf = append(c.wbuf, b...)
			return true
		}
		s.kill(c)
		return false
	}
}

// flush writes what the kernel refused before, on EPOLLOUT.
func (s *server) flush(c *conn) {
	for len(c.wbuf) > 0 {
		n, err := unix.Write(c.fd, c.wbuf)
		if err == unix.EINTR {
			continue
		}
		if err == unix.EAGAIN {
			return
		}
		if err != nil {
			s.kill(c)
			return
		}
		c.wbuf = c.wbuf[n:]
	}
	c.wbuf = nil
}

// kill closes c now and unlinks it from the lists after the current loop
// (reap), so a write loop never sees its list change under it.
func (s *server) kill(c *conn) {
	if c.dead {
		return
	}
	c.dead = true
	unix.Close(c.fd)
	s.conns[c.fd] = nil
	s.dead = append(s.dead, c)
}

func (s *server) reap() {
	for _, c := range s.dead {
		if c.idx >= 0 {
			last := s.all[len(s.all)-1]
			s.all[c.idx], last.idx = last, c.idx
			s.all[len(s.all)-1] = nil
			s.all = s.all[:len(s.all)-1]
		}
		for _, r := range c.rooms {
			if s.rooms[r] = without(s.rooms[r], c); len(s.rooms[r]) == 0 {
				delete(s.rooms, r)
			}
		}
		c.rooms, c.rbuf, c.wbuf, c.pend = nil, nil, nil, nil
	}
	clear(s.dead)
	s.dead = s.dead[:0]
}

// appendSID appends a short base-36 id.
func appendSID(b []byte, n uint64) []byte {
	return strconv.AppendUint(append(b, "floor"...), n, 36)
}
