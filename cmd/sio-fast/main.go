// Command sio-fast is the standalone server.
//
//	sio-fast [-addr 127.0.0.1:3000] [-mode server|bench-app|ws-echo|engineio-echo]
//	         [-ping-interval D] [-ping-timeout D] [-parser json|msgpack]
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
// With tls.cert and tls.key (-tls-cert, -tls-key) every mode serves https://
// and wss:// on the reactor itself (loop.WithTLS), HTTP/1.1 only.
//
// It exits cleanly on SIGINT or SIGTERM, closing connections gracefully
// (server mode: the drain of docs/operations.md); SIGHUP reloads the
// configuration in server mode.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"syscall"

	"github.com/sio-fast/sio-fast/loop"
	"github.com/sio-fast/sio-fast/standalone"
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

func run(args []string) error {
	cfg, opts, err := standalone.Load(args, os.Environ())
	if err != nil {
		return err
	}
	if opts.PrintConfig {
		out, err := cfg.YAML()
		if err != nil {
			return err
		}
		_, err = os.Stdout.Write(out)
		return err
	}
	level := new(slog.LevelVar)
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	if cfg.CPUProfile != "" {
		stop, err := startCPUProfile(cfg.CPUProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	if cfg.MemProfile != "" {
		stop := heapProfileOnSignal(cfg.MemProfile, logger)
		defer stop()
	}
	loopOpts := loopOptions(cfg, logger)
	scheme := "http"
	if tlsOpt, err := tlsOption(cfg.TLS.Cert, cfg.TLS.Key); err != nil {
		return err
	} else if tlsOpt != nil {
		loopOpts = append(loopOpts, tlsOpt)
		scheme = "https"
	}
	if cfg.Mode == "server" {
		return runServer(args, cfg, logger, level, scheme, loopOpts)
	}
	h, closeHandler, err := handlerFor(cfg, logger)
	if err != nil {
		return err
	}
	defer func() { _ = closeHandler() }() // after the loops stopped (deferred first, run last)
	srv, err := loop.Serve(cfg.ListenAddr(), h, loopOpts...)
	if err != nil {
		return err
	}
	fmt.Printf("sio-fast %s listening on %s://%s\n", cfg.Mode, scheme, srv.Addr())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	ctx, cancel := context.WithTimeout(context.Background(), cfg.Drain.Timeout)
	defer cancel()
	_ = srv.Shutdown(ctx)
	return nil
}

// loopOptions are the loop options of cfg's limits, shared by every mode
// (TLS apart).
func loopOptions(cfg *standalone.Config, logger *slog.Logger) []loop.Option {
	opts := []loop.Option{
		loop.WithLogger(logger), loop.WithMaxConns(maxConns(cfg.MaxConns)),
		loop.WithSendBuffer(cfg.Limits.SendBuffer), loop.WithWriteStallTimeout(cfg.Limits.WriteStall),
		loop.WithBurstCollect(cfg.Limits.BurstCollect),
	}
	if cfg.Loops > 0 {
		opts = append(opts, loop.WithNumLoops(cfg.Loops))
	}
	return opts
}

// runServer runs the standalone server until SIGINT or SIGTERM (drain);
// SIGHUP reloads the configuration (what can change live).
func runServer(args []string, cfg *standalone.Config, logger *slog.Logger, level *slog.LevelVar, scheme string, loopOpts []loop.Option) error {
	srv, err := standalone.New(cfg, logger)
	if err != nil {
		return err
	}
	// Signals are caught before the listening lines announce the server, so
	// a SIGHUP sent on seeing them never meets the default action (exit).
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sig)
	r, err := standalone.Start(srv, cfg, loopOpts...)
	if err != nil {
		_ = srv.Close()
		return err
	}
	fmt.Printf("sio-fast server listening on %s://%s\n", scheme, r.Loop.Addr())
	if r.APIAddr != nil {
		fmt.Printf("sio-fast API listening on http://%s\n", r.APIAddr)
	}
	for s := range sig {
		if s != syscall.SIGHUP {
			break
		}
		cfg = reload(args, cfg, srv, level, logger)
	}
	logger.Info("draining", "deadline", cfg.Drain.Timeout)
	ctx, cancel := context.WithTimeout(context.Background(), cfg.Drain.Timeout)
	defer cancel()
	if err := r.Drain(ctx); err != nil {
		logger.Warn("drain cut short", "err", err)
	}
	return nil
}

// reload reads the configuration again and applies what may change live;
// a configuration that does not load keeps the current one.
func reload(args []string, cur *standalone.Config, srv *standalone.Server, level *slog.LevelVar, logger *slog.Logger) *standalone.Config {
	next, _, err := standalone.Load(args, os.Environ())
	if err != nil {
		logger.Error("SIGHUP: configuration not reloaded", "err", err)
		return cur
	}
	_ = level.UnmarshalText([]byte(next.LogLevel))
	now, err := srv.Reload(cur, next)
	if err != nil {
		logger.Warn("SIGHUP: partly reloaded", "err", err)
	} else {
		logger.Info("SIGHUP: configuration reloaded")
	}
	return now // what is in effect: a change that needs a restart is reported again next time
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
	// The runtime's own view first, as the process holds it (this is what
	// its RSS is made of), then the live heap after a collection.
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(os.Stderr, "runtime: heap_alloc=%d KiB heap_inuse=%d KiB heap_idle=%d KiB heap_released=%d KiB stack_sys=%d KiB mspan_sys=%d KiB gc_sys=%d KiB other_sys=%d KiB buckhash_sys=%d KiB sys=%d KiB num_gc=%d\n",
		ms.HeapAlloc>>10, ms.HeapInuse>>10, ms.HeapIdle>>10, ms.HeapReleased>>10, ms.StackSys>>10, ms.MSpanSys>>10,
		ms.GCSys>>10, ms.OtherSys>>10, ms.BuckHashSys>>10, ms.Sys>>10, ms.NumGC)
	runtime.GC()
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
