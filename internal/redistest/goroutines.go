package redistest

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"time"
)

// AdapterStacks matches the stacks of the Redis adapters' goroutines
// (adapter/redis and adapter/redisstreams).
const AdapterStacks = "sio-fast/sio-fast/adapter/redis"

// LeakMatches are the stack substrings of goroutines a stopped cluster
// node must not leave behind: go-redis's (a client or its Pub/Sub) and the
// Redis adapters'.
var LeakMatches = []string{"github.com/redis/go-redis/", AdapterStacks}

// Goroutines returns the stacks of the running goroutines whose stack
// contains any of match, by their "goroutine N" header.
func Goroutines(match ...string) map[string]string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := map[string]string{}
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		stack := string(g)
		header, _, _ := strings.Cut(stack, " [")
		for _, m := range match {
			if strings.Contains(stack, m) {
				out[header] = stack
				break
			}
		}
	}
	return out
}

// WaitGoroutinesGone waits (at most 10 s) until every goroutine whose
// stack contains any of match was already running at before (Goroutines'
// result), and fails t with the stacks of the others if some remain.
func WaitGoroutinesGone(t testing.TB, before map[string]string, match ...string) {
	t.Helper()
	WaitGoroutinesGoneWithin(t, 10*time.Second, before, match...)
}

// WaitGoroutinesGoneWithin is WaitGoroutinesGone waiting at most d, for
// goroutines that must end at once (a goroutine still runs its last
// instructions after the WaitGroup.Done its owner waited for).
func WaitGoroutinesGoneWithin(t testing.TB, d time.Duration, before map[string]string, match ...string) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		left := newGoroutines(before, match)
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines left running:\n%s", len(left), strings.Join(left, "\n\n"))
		}
		time.Sleep(min(d/20, 20*time.Millisecond))
	}
}

// newGoroutines are the stacks of the goroutines matching match that are
// not in before.
func newGoroutines(before map[string]string, match []string) []string {
	var left []string
	for header, stack := range Goroutines(match...) {
		if _, ok := before[header]; !ok {
			left = append(left, stack)
		}
	}
	return left
}
