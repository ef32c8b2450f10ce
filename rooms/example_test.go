package rooms_test

import (
	"fmt"
	"slices"

	"github.com/sio-fast/sio-fast/rooms"
)

// Example shows the Socket.IO pattern: every session joins a room named
// after itself, broadcasts go to a union of rooms minus the sender's own
// room, and a disconnect leaves every room at once.
func Example() {
	ix := rooms.NewWithOptions[uint64](rooms.Options{
		OnDelete: func(r rooms.Room) { fmt.Println("deleted", r) },
	})
	ix.Join(1, "sid-1", "news", "sport")
	ix.Join(2, "sid-2", "news")
	ix.Join(3, "sid-3", "sport")

	// socket 1 does socket.to("news").to("sport").emit(...): everyone in
	// either room, once each, except socket 1 itself.
	var audience []uint64 // reuse this slice across broadcasts
	audience = ix.AppendMembers(audience[:0], []rooms.Room{"news", "sport"}, []rooms.Room{"sid-1"})
	slices.Sort(audience)
	fmt.Println("audience:", audience)

	// Enumerate visits members under read locks, without copying; fn must
	// not call back into ix.
	n := 0
	ix.Enumerate(nil, nil, func(uint64) bool { n++; return true })
	fmt.Println("everyone:", n)

	ix.LeaveAll(3) // disconnect
	fmt.Println("sport has", ix.Len("sport"), "member(s)")
	// Output:
	// audience: [2 3]
	// everyone: 3
	// deleted sid-3
	// sport has 1 member(s)
}
