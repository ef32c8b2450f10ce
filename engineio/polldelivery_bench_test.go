package engineio

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/sio-fast/sio-fast/loop"
)

// pollFleet is n long-polling sessions on an in-memory loop, each with a
// GET parked on its own connection, as siobench's polling clients keep
// them: the setting of issue 16's CPU per polled delivery, without the
// system calls.
type pollFleet struct {
	srv   *Server
	m     *loop.Memory
	socks []*Socket    // in a random order: a broadcast's recipients are not in allocation order
	conns []*loop.Conn // socks[i]'s GET connection
	gets  [][]byte     // socks[i]'s next GET, as siobench sends it
	bc    Broadcast
}

func newPollFleet(tb testing.TB, n int) *pollFleet {
	tb.Helper()
	f := &pollFleet{srv: NewServer(Config{})}
	var opened []*Socket
	f.srv.OnConnection(func(s *Socket) { opened = append(opened, s) }) // on the loop; read after Dial returns
	f.m = loop.NewMemory(f.srv)
	peers := make([]*loop.MemPeer, n)
	for i := range peers {
		p := f.m.Dial(netip.MustParseAddrPort("127.0.0.1:40000"))
		p.SetDiscard(true)
		p.Send([]byte(benchPollHandshake))
		peers[i] = p
	}
	if len(opened) != n {
		tb.Fatalf("%d sessions, want %d", len(opened), n)
	}
	order := rand.New(rand.NewPCG(1, 2)).Perm(n)
	for _, i := range order {
		s := opened[i]
		get := fmt.Appendf(nil, "GET /engine.io/?EIO=4&transport=polling&sid=%s HTTP/1.1\r\nHost: 127.0.0.1:52200\r\n\r\n", s.ID())
		peers[i].Send(get) // parks
		f.socks = append(f.socks, s)
		f.conns = append(f.conns, peers[i].Conn())
		f.gets = append(f.gets, get)
	}
	return f
}

// round broadcasts one message to every session (each parked GET is
// answered), then every client sends its next GET, which parks.
func (f *pollFleet) round(p *Prepared) {
	f.m.Loop().Execute(func() {
		if n := f.bc.WritePrepared(f.socks, p, false); n != len(f.socks) {
			panic(fmt.Sprintf("%d of %d written", n, len(f.socks)))
		}
	})
	f.m.Tick(0) // the turn that answered the GETs, and its flush, are over
	f.m.Loop().Execute(func() {
		for i, c := range f.conns {
			if n := f.srv.OnData(c, f.gets[i]); n != len(f.gets[i]) {
				panic(fmt.Sprintf("GET %d: %d of %d bytes consumed", i, n, len(f.gets[i])))
			}
		}
	})
	f.m.Tick(0)
}

func (f *pollFleet) close() {
	f.srv.Close()
	f.m.Close()
}

// BenchmarkPolledDelivery measures the server's user-space work per polled
// delivery (issue 16 part 6): the answer to a parked GET from a broadcast,
// then the client's next GET read, parsed, routed by its query, its
// session looked up and the GET parked again. Sessions are visited in a
// random order, so at 10,000 each one's memory is cold, as in siobench's
// fan-out. ns/delivery is the figure; allocations are per round (all
// sessions).
func BenchmarkPolledDelivery(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprint("sessions=", n), func(b *testing.B) {
			f := newPollFleet(b, n)
			defer f.close()
			p := NewPrepared(Message{Data: []byte(`2["news",{"n":1}]`)})
			f.round(p) // grows the loop's queues and the broadcast's table
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				f.round(p)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/delivery")
		})
	}
}
