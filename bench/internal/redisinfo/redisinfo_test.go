package redisinfo

import (
	"bufio"
	"fmt"
	"strings"
	"testing"

	"github.com/sio-fast/sio-fast/internal/redistest"
)

// TestReadCountsOneCommandExactly runs one PUBLISH between two readings on
// a real redis-server: the delta is that command's bytes and its reply's,
// with the readings' own INFO traffic taken out.
func TestReadCountsOneCommandExactly(t *testing.T) {
	srv := redistest.Start(t)
	a, err := Read(srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Do("PUBLISH", "socket.io#/#", "0123456789"); err != nil {
		t.Fatal(err)
	}
	b, err := Read(srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	d := b.Sub(a)
	cmd := "*3\r\n$7\r\nPUBLISH\r\n$12\r\nsocket.io#/#\r\n$10\r\n0123456789\r\n"
	if d.In != int64(len(cmd)) || d.Out != int64(len(":0\r\n")) || d.Published != 1 {
		t.Fatalf("delta in %d out %d published %d, want %d, 4 and 1", d.In, d.Out, d.Published, len(cmd))
	}
	if d.CPU < 0 {
		t.Fatalf("CPU went back: %v", d.CPU)
	}
}

func TestParseRejectsIncompleteReplies(t *testing.T) {
	for _, body := range []string{
		"",
		"total_net_input_bytes:1\r\ntotal_net_output_bytes:2\r\nused_cpu_user:0.5\r\n",
		"total_net_input_bytes:x\r\ntotal_net_output_bytes:2\r\nused_cpu_user:0.5\r\nused_cpu_sys:1\r\n",
		"total_net_input_bytes:1\r\ntotal_net_output_bytes:2\r\nused_cpu_user:0.5\r\nused_cpu_sys:1\r\ncmdstat_spublish:calls=,usec=1\r\n",
	} {
		if _, err := parse([]byte(body)); err == nil {
			t.Errorf("parse(%q): no error", body)
		}
	}
	s, err := parse([]byte("# Stats\r\ntotal_net_input_bytes:1\r\ntotal_net_output_bytes:2\r\n# CPU\r\nused_cpu_sys:1.25\r\nused_cpu_user:0.5\r\n" +
		"# Commandstats\r\ncmdstat_publish:calls=3,usec=9,usec_per_call=3.00\r\ncmdstat_get:calls=7,usec=1\r\ncmdstat_xadd:calls=4,usec=2\r\n"))
	if err != nil || s.In != 1 || s.Out != 2 || s.CPU.Milliseconds() != 1750 || s.Published != 7 {
		t.Fatalf("parse: %+v %v", s, err)
	}
}

// FuzzReply feeds arbitrary replies to the bulk reader and the parser:
// errors, never a panic, and a body of the announced length when accepted.
func FuzzReply(f *testing.F) {
	f.Add("$26\r\ntotal_net_input_bytes:12\r\n\r\n")
	f.Add("$-1\r\n")
	f.Add("+OK\r\n")
	f.Add(fmt.Sprintf("$%d\r\n%s\r\n", 90, strings.Repeat("used_cpu_sys:1.5\r\n", 5)))
	f.Fuzz(func(t *testing.T, reply string) {
		body, n, err := readBulk(bufio.NewReader(strings.NewReader(reply)))
		if err != nil {
			return
		}
		if n > int64(len(reply)) || int64(len(body)) > n {
			t.Fatalf("body %d bytes, reply %d of %d", len(body), n, len(reply))
		}
		_, _ = parse(body)
	})
}
