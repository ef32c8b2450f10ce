package socketio

import (
	"fmt"
	"testing"
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
				tab.set(fmt.Sprint("ev", i), handler(i), 0)
			}
			for i := range n {
				if got := call(fmt.Sprint("ev", i)); got != i {
					t.Fatalf("ev%d calls handler %d", i, got)
				}
			}
			tab.set("ev0", handler(100), 0) // replace, not add
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
		tab.set(fmt.Sprint("ev", i), func(*Socket, Args, AckFunc) {}, 0)
	}
	name := []byte("ev4")
	if n := testing.AllocsPerRun(100, func() { _ = tab.get(name) }); n != 0 {
		t.Fatalf("get allocates %v times", n)
	}
}

// TestEventHandlersSizedByHint: a list sized by the namespace's hint is
// allocated once, exactly that large.
func TestEventHandlersSizedByHint(t *testing.T) {
	var tab eventHandlers
	for i := range 5 {
		tab.set(fmt.Sprint("ev", i), func(*Socket, Args, AckFunc) {}, 5)
	}
	if cap(tab.list) != 5 {
		t.Fatalf("cap %d after 5 handlers with hint 5, want 5", cap(tab.list))
	}
	tab.set("ev5", func(*Socket, Args, AckFunc) {}, 5) // past the hint: grows
	if len(tab.list) != 6 || tab.get([]byte("ev5")) == nil {
		t.Fatal("sixth handler lost")
	}
}
