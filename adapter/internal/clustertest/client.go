package clustertest

import (
	"regexp"
	"testing"

	"github.com/sio-fast/sio-fast/internal/siotest"
	"github.com/sio-fast/sio-fast/socketio"
)

// Join makes c join room through the node's "join" event and waits for
// its ack.
func Join(c *siotest.Client, room string) {
	c.Send(`420["join","` + room + `"]`)
	c.Expect("430[]")
}

// Answer reads a broadcast with ack of event on c and answers it with
// reply (the JSON of the ack's arguments, without brackets).
func Answer(t testing.TB, c *siotest.Client, event, reply string) {
	t.Helper()
	m := regexp.MustCompile(`^42(\d+)\["` + event + `"`).FindStringSubmatch(c.Next())
	if m == nil {
		t.Fatalf("no ack request for %s", event)
	}
	c.Send("43" + m[1] + "[" + reply + "]")
}

// Str is argument i of args when it is a string, "" otherwise.
func Str(args socketio.Args, i int) string {
	s, _ := args.String(i)
	return s
}
