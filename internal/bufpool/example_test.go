package bufpool_test

import (
	"fmt"

	"github.com/sio-fast/sio-fast/internal/bufpool"
)

func Example() {
	b := bufpool.Get()
	defer bufpool.Put(b)
	b.B = append(b.B, "42"...)
	b.B = append(b.B, `["hello"]`...)
	fmt.Println(string(b.B))
	// Output: 42["hello"]
}
