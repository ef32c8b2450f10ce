package admin

import (
	"sync"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/socketio"
)

// engineWatch wraps an Engine.IO session to count its traffic and see its
// upgrade and close (Node's engine "connection", "packet", "packetCreate",
// "upgrade" and "close" listeners).
type engineWatch struct {
	socketio.EngineSocket
	a       *Admin
	polling bool // opened on polling and not upgraded yet; a.mu

	mu      sync.Mutex
	sockets []*socketio.Socket // its sockets in reported namespaces
}

// watchEngine is the Observer.Engine hook. Home loop.
func (a *Admin) watchEngine(es socketio.EngineSocket) socketio.EngineSocket {
	w := &engineWatch{EngineSocket: es, a: a, polling: es.Transport() == "polling"}
	a.mu.Lock()
	a.engines[w] = struct{}{}
	a.mu.Unlock()
	a.stats.add("rawConnection", "", 1)
	return w
}

// Send counts the messages, then queues them.
func (w *engineWatch) Send(msgs ...engineio.Message) {
	w.countOut(msgs)
	w.EngineSocket.Send(msgs...)
}

// SendNow counts the message, then sends it.
func (w *engineWatch) SendNow(m engineio.Message) {
	w.a.stats.out(len(m.Data))
	w.EngineSocket.SendNow(m)
}

// WritePrepared counts a broadcast's messages when they are written.
func (w *engineWatch) WritePrepared(p *engineio.Prepared, volatile bool) bool {
	ok := w.EngineSocket.WritePrepared(p, volatile)
	if ok {
		w.countOut(p.Messages())
	}
	return ok
}

func (w *engineWatch) countOut(msgs []engineio.Message) {
	for _, m := range msgs {
		w.a.stats.out(len(m.Data))
	}
}

// SetHandler puts a counting handler in front of the server's.
func (w *engineWatch) SetHandler(h engineio.Handler) {
	w.EngineSocket.SetHandler(&handlerWatch{Handler: h, w: w})
}

// handlerWatch sees what the session delivers. Home loop.
type handlerWatch struct {
	engineio.Handler
	w *engineWatch
}

// OnMessage counts an incoming message.
func (h *handlerWatch) OnMessage(data []byte, binary bool) {
	h.w.a.stats.in(len(data))
	h.Handler.OnMessage(data, binary)
}

// OnClose counts the disconnection by reason and forgets the session.
func (h *handlerWatch) OnClose(reason, description string) {
	a := h.w.a
	a.mu.Lock()
	delete(a.engines, h.w)
	a.mu.Unlock()
	a.stats.add("rawDisconnection", reason, 1)
	h.Handler.OnClose(reason, description)
}

// OnUpgrade reports the new transport of the session's sockets.
func (h *handlerWatch) OnUpgrade() {
	if u, ok := h.Handler.(engineio.UpgradeHandler); ok {
		u.OnUpgrade()
	}
	a := h.w.a
	a.mu.Lock()
	h.w.polling = false
	a.mu.Unlock()
	h.w.mu.Lock()
	socks := h.w.sockets
	h.w.mu.Unlock()
	for _, s := range socks {
		a.emit("socket_updated", socketTransport{ID: s.ID(), Nsp: s.Namespace().Name(), Transport: "websocket"})
	}
}

// OnDrain forwards the polling drain to the server's handler.
func (h *handlerWatch) OnDrain() {
	if d, ok := h.Handler.(engineio.DrainHandler); ok {
		d.OnDrain()
	}
}

// addSocket and removeSocket keep the sockets whose transport change the
// UI must hear of. Any goroutine.
func (w *engineWatch) addSocket(s *socketio.Socket) {
	w.mu.Lock()
	w.sockets = append(w.sockets[:len(w.sockets):len(w.sockets)], s)
	w.mu.Unlock()
}

func (w *engineWatch) removeSocket(s *socketio.Socket) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i, x := range w.sockets {
		if x == s {
			out := make([]*socketio.Socket, 0, len(w.sockets)-1)
			w.sockets = append(append(out, w.sockets[:i]...), w.sockets[i+1:]...)
			return
		}
	}
}

// sessionCounts returns the open sessions and those still on polling.
func (a *Admin) sessionCounts() (clients, polling int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for w := range a.engines {
		if w.polling {
			polling++
		}
	}
	return len(a.engines), polling
}
