package loop

import (
	"net"
	"reflect"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/panjf2000/gnet/v2"
	"golang.org/x/sys/unix"
)

// gnet's connection object keeps, for the whole life of every connection
// enrolled with Client.EnrollContext, what it was enrolled with: the two
// net.Addr values of the accepted net.Conn (a *net.TCPAddr each, holding
// the sockaddr the address was decoded from), a sockaddr of the peer it
// parsed again from the address's string, and the enrolment context boxed
// for SafeContext. That is about 210 bytes per idle connection, 15% of
// what a Socket.IO WebSocket costs in all (docs/benchmarks.md, "Idle memory
// per connection, issue 16"). This package never asks gnet for any of them
// (Conn keeps the peer's address itself, and the context is read with
// gc.Context), and gnet uses them only to answer LocalAddr, RemoteAddr and
// SafeContext, and for datagram sockets, so OnOpen drops gnet's references.
// A TLS connection keeps its local address: crypto/tls hands it to the
// certificate callbacks (ClientHelloInfo.Conn.LocalAddr, see tlsWire).
//
// gnet offers no API for it, so the fields are found by name and type with
// reflect, once, and cleared through their offsets. If a gnet release
// renames or retypes any of them, nothing is cleared (the connections work
// as before, with the memory kept) and TestGnetStateDropped fails, so that
// the upgrade is noticed.

// gnetFields are the offsets of the fields dropDeadState clears in gnet's
// connection struct.
type gnetFields struct {
	localAddr, remoteAddr, remote, safeCtx uintptr
}

var (
	gnetLayoutOnce sync.Once
	gnetLayout     *gnetFields // nil: gnet's layout is not the one expected
)

// findGnetFields looks up the fields in the type behind gc, which must be
// a pointer to gnet's connection struct.
func findGnetFields(gc gnet.Conn) *gnetFields {
	t := reflect.TypeOf(gc)
	if t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return nil
	}
	st := t.Elem()
	offset := func(name string, typ reflect.Type) (uintptr, bool) {
		f, ok := st.FieldByName(name)
		if !ok || f.Type != typ || len(f.Index) != 1 {
			return 0, false
		}
		return f.Offset, true
	}
	var (
		fs                 gnetFields
		ok1, ok2, ok3, ok4 bool
	)
	addrType := reflect.TypeFor[net.Addr]()
	fs.localAddr, ok1 = offset("localAddr", addrType)
	fs.remoteAddr, ok2 = offset("remoteAddr", addrType)
	fs.remote, ok3 = offset("remote", reflect.TypeFor[unix.Sockaddr]())
	fs.safeCtx, ok4 = offset("safeCtx", reflect.TypeFor[atomic.Pointer[any]]())
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return nil
	}
	return &fs
}

// dropDeadState clears gnet's references to the enrolment's addresses and
// boxed context on gc (see above), and to its local address unless
// keepLocal. gnet's own RemoteAddr and SafeContext of gc (and LocalAddr)
// return nil afterwards. Loop goroutine only, in OnOpen, before any other
// goroutine can have seen gc.
func dropDeadState(gc gnet.Conn, keepLocal bool) {
	gnetLayoutOnce.Do(func() { gnetLayout = findGnetFields(gc) })
	fs := gnetLayout
	if fs == nil {
		return
	}
	p := reflect.ValueOf(gc).UnsafePointer()
	if !keepLocal {
		*(*net.Addr)(unsafe.Add(p, fs.localAddr)) = nil
	}
	*(*net.Addr)(unsafe.Add(p, fs.remoteAddr)) = nil
	*(*unix.Sockaddr)(unsafe.Add(p, fs.remote)) = nil
	(*atomic.Pointer[any])(unsafe.Add(p, fs.safeCtx)).Store(nil)
}
