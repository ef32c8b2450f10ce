package socketio

import (
	"slices"
	"sync/atomic"
	"unsafe"
)

// eventHandlers maps event names to a socket's handlers. Sockets usually
// register a handful of events each, in their connection listener: a slice
// searched linearly costs about half of what a map costs per idle socket
// and finds a name among a few as fast. Past maxLinearHandlers entries a map
// takes over, so a socket with many events still looks them up in O(1).
//
// Sockets of a namespace usually register the same handlers: handlers get
// the socket as an argument, so they need not capture it, and a handler that
// captures nothing (or a named function) is the same func value for every
// socket. Such sockets share one immutable list, the namespace's
// sharedHandlers, instead of holding a copy each (about 128 bytes per socket
// for five events). A shared list has len == cap, so append always copies,
// and the list is never changed in place: replace and remove copy first.
type eventHandlers struct {
	list   []handlerEntry
	byName map[string]EventHandler // set once list would outgrow maxLinearHandlers
}

type handlerEntry struct {
	event string
	h     EventHandler
}

const maxLinearHandlers = 16

func (t *eventHandlers) get(event []byte) EventHandler {
	if t.byName != nil {
		return t.byName[string(event)]
	}
	for i := range t.list {
		if t.list[i].event == string(event) {
			return t.list[i].h
		}
	}
	return nil
}

// set registers h for event; sh is the namespace's shared list (nil for
// none).
func (t *eventHandlers) set(event string, h EventHandler, sh *sharedHandlers) {
	if t.byName != nil {
		t.byName[event] = h
		return
	}
	if i := t.index(event); i >= 0 {
		l := slices.Clone(t.list) // the list may be shared
		l[i].h = h
		t.list = l
		return
	}
	if len(t.list) == maxLinearHandlers {
		t.byName = make(map[string]EventHandler, 2*maxLinearHandlers)
		for _, e := range t.list {
			t.byName[e.event] = e.h
		}
		t.byName[event] = h
		t.list = nil
		return
	}
	e := handlerEntry{event, h}
	if l, ok := sh.extend(t.list, e); ok {
		t.list = l
		return
	}
	if len(t.list) == cap(t.list) {
		// Grow to what the namespace's sockets registered, else by a few
		// entries, not by doubling: the list is built once per socket and
		// then kept for its whole life.
		n := max(len(t.list)+4, min(sh.len(), maxLinearHandlers))
		t.list = append(make([]handlerEntry, 0, n), t.list...)
	}
	t.list = append(t.list, e)
}

func (t *eventHandlers) remove(event string) {
	if t.byName != nil {
		delete(t.byName, event)
		return
	}
	if i := t.index(event); i >= 0 {
		t.list = slices.Delete(slices.Clone(t.list), i, i+1) // the list may be shared
	}
}

func (t *eventHandlers) index(event string) int {
	for i := range t.list {
		if t.list[i].event == event {
			return i
		}
	}
	return -1
}

// sharedHandlers is the handler list a namespace's sockets share: the
// handlers registered by the first socket, in order. Safe for concurrent
// use; the lists it hands out are never modified.
type sharedHandlers struct {
	p atomic.Pointer[[]handlerEntry]
}

// extend returns list with e appended as a shared list, when list is a
// shared prefix (or empty) and e is the next shared entry, or when list is
// the whole shared list, which then grows by e.
func (sh *sharedHandlers) extend(list []handlerEntry, e handlerEntry) ([]handlerEntry, bool) {
	if sh == nil {
		return nil, false
	}
	cur := sh.p.Load()
	var shared []handlerEntry
	if cur != nil {
		shared = *cur
	}
	i := len(list)
	if i > 0 && (i > len(shared) || unsafe.SliceData(list) != unsafe.SliceData(shared)) {
		return nil, false // a list of its own, or of an older shared list
	}
	if i < len(shared) {
		if shared[i].event != e.event || !sameFunc(shared[i].h, e.h) {
			return nil, false
		}
		return shared[: i+1 : i+1], true
	}
	grown := append(slices.Clip(shared), e) // copies: shared lists are never changed
	if !sh.p.CompareAndSwap(cur, &grown) {
		return nil, false // another socket grew it first
	}
	return grown[: i+1 : i+1], true
}

// len returns the length of the shared list: how many handlers a socket of
// the namespace registers, to size a list of its own.
func (sh *sharedHandlers) len() int {
	if sh == nil {
		return 0
	}
	if cur := sh.p.Load(); cur != nil {
		return len(*cur)
	}
	return 0
}

// sameFunc reports whether a and b are the same func value. Go cannot
// compare funcs; a func value is a pointer to its closure, so equal pointers
// mean the same code with the same captured variables. Different closures
// of one literal compare unequal, which only costs sharing.
func sameFunc(a, b EventHandler) bool {
	return *(*unsafe.Pointer)(unsafe.Pointer(&a)) == *(*unsafe.Pointer)(unsafe.Pointer(&b))
}
