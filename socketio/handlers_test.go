package socketio

import (
	"fmt"
	"sync"
	"testing"
	"unsafe"
)

// TestEventHandlersTable checks set/replace/remove/get on both sides of the
// switch from the linear list to the map.
func TestEventHandlersTable(t *testing.T) {
	for _, n := range []int{1, 3, maxLinearHandlers, maxLinearHandlers + 1, 3 * maxLinearHandlers} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var tab eventHandlers
			mark := map[string]int{}
			handler := func(i int) EventHandler {
				return func(*Socket, Args, AckFunc) { mark["called"] = i }
			}
			call := func(ev string) int {
				mark["called"] = -1
				if h := tab.get([]byte(ev)); h != nil {
					h(nil, Args{}, nil)
				}
				return mark["called"]
			}
			for i := range n {
				tab.set(fmt.Sprint("ev", i), handler(i), nil)
			}
			for i := range n {
				if got := call(fmt.Sprint("ev", i)); got != i {
					t.Fatalf("ev%d calls handler %d", i, got)
				}
			}
			tab.set("ev0", handler(100), nil) // replace, not add
			if got := call("ev0"); got != 100 {
				t.Fatalf("replaced ev0 calls %d", got)
			}
			tab.remove("ev0")
			tab.remove("missing")
			if got := call("ev0"); got != -1 {
				t.Fatalf("removed ev0 still calls %d", got)
			}
			if n > 1 {
				if got := call(fmt.Sprint("ev", n-1)); got != n-1 {
					t.Fatalf("last event calls %d after a removal", got)
				}
			}
			if got := call("nope"); got != -1 {
				t.Fatalf("unknown event calls %d", got)
			}
		})
	}
}

func TestEventHandlersLookupAllocs(t *testing.T) {
	var tab eventHandlers
	for i := range 5 {
		tab.set(fmt.Sprint("ev", i), func(*Socket, Args, AckFunc) {}, nil)
	}
	name := []byte("ev4")
	if n := testing.AllocsPerRun(100, func() { _ = tab.get(name) }); n != 0 {
		t.Fatalf("get allocates %v times", n)
	}
}

func onA(*Socket, Args, AckFunc) {}
func onB(*Socket, Args, AckFunc) {}
func onC(*Socket, Args, AckFunc) {}

// Sockets registering the same handlers in the same order share one list;
// a socket that diverges gets a list of its own, sized like the shared one,
// and changing a shared list never shows in the other sockets.
func TestEventHandlersShared(t *testing.T) {
	var sh sharedHandlers
	register := func() *eventHandlers {
		var tab eventHandlers
		tab.set("a", onA, &sh)
		tab.set("b", onB, &sh)
		return &tab
	}
	first, second := register(), register()
	if len(second.list) != 2 || unsafe.SliceData(first.list) != unsafe.SliceData(second.list) {
		t.Fatal("same handlers, lists not shared")
	}
	if cap(second.list) != len(second.list) {
		t.Fatal("a shared list must have no spare capacity (append copies)")
	}
	// A third handler grows the shared list; the next socket shares it.
	first.set("c", onC, &sh)
	third := register()
	third.set("c", onC, &sh)
	if unsafe.SliceData(first.list) != unsafe.SliceData(third.list) || len(third.list) != 3 {
		t.Fatal("grown list not shared")
	}
	// Another func value (a closure capturing a variable) diverges.
	n := 0
	own := register()
	own.set("c", func(*Socket, Args, AckFunc) { n++ }, &sh)
	if unsafe.SliceData(own.list) == unsafe.SliceData(first.list) || cap(own.list) < 3 {
		t.Fatalf("divergent socket shares or is undersized: cap %d", cap(own.list))
	}
	own.get([]byte("c"))(nil, Args{}, nil)
	if n != 1 {
		t.Fatal("own handler not called")
	}
	// Replace and remove on a shared list leave the others untouched.
	third.set("a", onC, &sh)
	third.remove("b")
	if !sameFunc(first.get([]byte("a")), onA) || first.get([]byte("b")) == nil {
		t.Fatal("change to one socket's handlers showed in another's")
	}
	if !sameFunc(third.get([]byte("a")), onC) || third.get([]byte("b")) != nil || third.get([]byte("c")) == nil {
		t.Fatal("replace/remove lost")
	}
}

// Sockets registering handlers side by side may race to grow the shared
// list; every socket still ends with exactly its own handlers.
func TestEventHandlersSharedConcurrent(t *testing.T) {
	var sh sharedHandlers
	tabs := make([]*eventHandlers, 16)
	var wg sync.WaitGroup
	for i := range tabs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var tab eventHandlers
			for _, ev := range []string{"a", "b", "c"} {
				tab.set(ev, onA, &sh)
			}
			tabs[i] = &tab
		}()
	}
	wg.Wait()
	for i, tab := range tabs {
		if len(tab.list) != 3 || tab.get([]byte("c")) == nil {
			t.Fatalf("socket %d: %d handlers", i, len(tab.list))
		}
	}
}
