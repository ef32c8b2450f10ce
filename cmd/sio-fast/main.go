// Command sio-fast is the standalone server.
//
//	sio-fast [-addr 127.0.0.1:3000] [-mode server|bench-app|ws-echo|engineio-echo]
//	         [-ping-interval D] [-ping-timeout D] [-parser json|msgpack] [-admin]
//	         [-tls-cert cert.pem -tls-key key.pem]
//	         [-redis URL [-redis-mode pubsub|sharded|streams] [-redis-prefix socket.io]
//	          [-redis-subscription-mode dynamic]]
//
// Modes:
//   - server (default): the Socket.IO server at /socket.io/ with the demo
//     chat page at / (see README.md).
//   - bench-app: the application of the bench contract
//     (../shared/bench-contract.md); HOST and PORT or -port choose the address.
//   - ws-echo: a bare WebSocket echo on the reactor, for foundation
//     measurements.
//   - engineio-echo: an Engine.IO server at /engine.io/ that echoes every
//     message.
//
// With -tls-cert and -tls-key every mode serves https:// and wss:// on the
// reactor itself (loop.WithTLS), HTTP/1.1 only.
//
// It exits cleanly on SIGINT or SIGTERM, closing connections gracefully.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strconv"
	"syscall"
	"time"

	"github.com/sio-fast/sio-fast/loop"
)

func main() {
	err := run(os.Args[1:])
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0) // -h: the usage is printed
	case err != nil:
		fmt.Fprintln(os.Stderr, "sio-fast:", err)
		os.Exit(2)
	}
}

type flags struct {
	addr     string
	port     int
	mode     string
	loops    int
	maxConns int
	logLevel string
	cpuProf  string
	memProf  string
	// Engine.IO heartbeat of the Socket.IO modes; 0 keeps Node's defaults.
	pingInterval time.Duration
	pingTimeout  time.Duration
	recovery     time.Duration // connection state recovery window, 0: off
	parser       string
	// admin serves the admin UI protocol (socketio/admin) at /admin.
	admin   bool
	tlsCert string
	tlsKey  string
	cluster clusterFlags // -redis, -redis-mode, -redis-prefix (cluster.go)
	sendBuf int
	stall   time.Duration
}

func parseFlags(args []string) (flags, error) {
	var f flags
	fs := flag.NewFlagSet("sio-fast", flag.ContinueOnError)
	fs.StringVar(&f.addr, "addr", "", "listen address (default 127.0.0.1:3000, or HOST:PORT from the environment)")
	fs.IntVar(&f.port, "port", 0, "listen port (overrides the port of -addr and PORT)")
	fs.StringVar(&f.mode, "mode", "server", "server | bench-app | ws-echo | engineio-echo")
	fs.IntVar(&f.loops, "loops", 0, "event loops (default: number of CPUs)")
	fs.IntVar(&f.maxConns, "max-conns", 0, "connection cap (default: file descriptor limit minus a reserve)")
	fs.StringVar(&f.logLevel, "log", "info", "log level: debug | info | warn | error")
	fs.StringVar(&f.cpuProf, "cpuprofile", "", "write a CPU profile to this file until exit (for go tool pprof)")
	fs.StringVar(&f.memProf, "memprofile", "", "write a heap profile to this file on each SIGUSR1 (for go tool pprof)")
	fs.DurationVar(&f.pingInterval, "ping-interval", 0, "Engine.IO pingInterval of the server and bench-app modes (default 25s, as Node)")
	fs.DurationVar(&f.recovery, "recovery", 0, "connection state recovery of the server and bench-app modes: keep sessions this long (e.g. 2m), skipMiddlewares on; 0: off")
	fs.DurationVar(&f.pingTimeout, "ping-timeout", 0, "Engine.IO pingTimeout of the server and bench-app modes (default 20s, as Node)")
	fs.IntVar(&f.sendBuf, "send-buffer", -1, "SO_SNDBUF per connection in bytes (0: kernel autotuning; default: loop's, 64 KiB)")
	fs.DurationVar(&f.stall, "write-stall", -1, "close a connection whose queued bytes make no progress for this long (0: never; default: loop's, 3s)")
	fs.StringVar(&f.parser, "parser", "json", "packet parser of the Socket.IO modes: json (socket.io-parser) | msgpack (socket.io-msgpack-parser)")
	fs.BoolVar(&f.admin, "admin", false, "serve the admin UI protocol at /admin in the server and bench-app modes (auth off, development mode)")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "PEM certificate chain: serve https:// and wss:// (with -tls-key)")
	fs.StringVar(&f.tlsKey, "tls-key", "", "PEM private key of -tls-cert")
	f.cluster.register(fs)
	if err := fs.Parse(args); err != nil {
		return f, err // fs printed the usage
	}
	// Parsing stops at the first argument that is not a flag: anything left
	// would be silently ignored (`sio-fast bench-app -port 9` would run the
	// chat server on 3000), so it is refused.
	if fs.NArg() > 0 {
		fs.Usage()
		if isMode(fs.Arg(0)) {
			return f, fmt.Errorf("unexpected argument %q: the mode is a flag, -mode %s", fs.Arg(0), fs.Arg(0))
		}
		return f, fmt.Errorf("unexpected argument %q (sio-fast takes flags only)", fs.Arg(0))
	}
	if err := f.cluster.check(); err != nil {
		return f, err
	}
	if _, err := packetParser(f.parser); err != nil {
		return f, err
	}
	if f.pingInterval < 0 || f.pingTimeout < 0 {
		return f, fmt.Errorf("-ping-interval and -ping-timeout must not be negative")
	}
	if f.recovery < 0 {
		return f, fmt.Errorf("-recovery must not be negative")
	}
	f.addr = listenAddr(f.addr, f.port)
	return f, nil
}

// listenAddr applies the bench contract's rules: HOST (default 127.0.0.1)
// and PORT from the environment, the flag winning.
func listenAddr(addr string, port int) string {
	if addr == "" {
		host := os.Getenv("HOST")
		if host == "" {
			host = "127.0.0.1"
		}
		p := os.Getenv("PORT")
		if p == "" {
			p = "3000"
		}
		addr = net.JoinHostPort(host, p)
	}
	if port > 0 {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			host = addr
		}
		addr = net.JoinHostPort(host, strconv.Itoa(port))
	}
	return addr
}

func run(args []string) error {
	f, err := parseFlags(args)
	if err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	if f.cpuProf != "" {
		stop, err := startCPUProfile(f.cpuProf)
		if err != nil {
			return err
		}
		defer stop()
	}
	if f.memProf != "" {
		stop := heapProfileOnSignal(f.memProf, logger)
		defer stop()
	}
	h, err := handlerFor(f, logger)
	if err != nil {
		return err
	}
	opts := []loop.Option{loop.WithLogger(logger), loop.WithMaxConns(maxConns(f.maxConns))}
	if f.loops > 0 {
		opts = append(opts, loop.WithNumLoops(f.loops))
	}
	scheme := "http"
	if tlsOpt, err := tlsOption(f.tlsCert, f.tlsKey); err != nil {
		return err
	} else if tlsOpt != nil {
		opts = append(opts, tlsOpt)
		scheme = "https"
	}
	if f.sendBuf >= 0 {
		opts = append(opts, loop.WithSendBuffer(f.sendBuf))
	}
	if f.stall >= 0 {
		opts = append(opts, loop.WithWriteStallTimeout(f.stall))
	}
	srv, err := loop.Serve(f.addr, h, opts...)
	if err != nil {
		return err
	}
	fmt.Printf("sio-fast %s listening on %s://%s\n", f.mode, scheme, srv.Addr())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
	return nil
}

// maxConns keeps the connection cap under the file descriptor limit (raised
// to its hard maximum first), leaving a reserve for everything else.
func maxConns(flagValue int) int {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err == nil && lim.Cur < lim.Max {
		lim.Cur = lim.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
	limit := 1 << 20
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err == nil {
		limit = int(lim.Cur) - 64
	}
	if flagValue > 0 && flagValue < limit {
		return flagValue
	}
	return limit
}

func startCPUProfile(path string) (stop func(), err error) {
	out, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(out); err != nil {
		out.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); out.Close() }, nil
}

// heapProfileOnSignal writes a heap profile to path each time the process
// receives SIGUSR1, so the memory of a server holding many idle connections
// can be broken down while it holds them.
func heapProfileOnSignal(path string, logger *slog.Logger) (stop func()) {
	// Sample every 4 KiB rather than every 512 KiB: per-connection objects
	// are small, and the default rate misses most of them.
	runtime.MemProfileRate = 4096
	usr1 := make(chan os.Signal, 1)
	signal.Notify(usr1, syscall.SIGUSR1)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-usr1:
				if err := writeHeapProfile(path); err != nil {
					logger.Error("heap profile", "err", err)
				}
			}
		}
	}()
	return func() { signal.Stop(usr1); close(done) }
}

func writeHeapProfile(path string) error {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(os.Stderr, "heap: live=%d KiB inuse=%d KiB idle=%d KiB released=%d KiB stacks=%d KiB sys=%d KiB objects=%d goroutines=%d\n",
		ms.HeapAlloc>>10, ms.HeapInuse>>10, ms.HeapIdle>>10, ms.HeapReleased>>10, ms.StackInuse>>10, ms.Sys>>10, ms.HeapObjects, runtime.NumGoroutine())
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	defer out.Close()
	return pprof.Lookup("heap").WriteTo(out, 0)
}
