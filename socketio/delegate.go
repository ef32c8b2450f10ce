package socketio

import (
	"context"
	"time"
)

// Namespace broadcast shortcuts: each starts a BroadcastOperator over the
// whole namespace. Safe from any goroutine.

func (n *Namespace) op() BroadcastOperator { return BroadcastOperator{nsp: n} }

// To targets rooms.
func (n *Namespace) To(rooms ...Room) BroadcastOperator { return n.op().To(rooms...) }

// In is an alias of To.
func (n *Namespace) In(rooms ...Room) BroadcastOperator { return n.op().To(rooms...) }

// Except excludes rooms.
func (n *Namespace) Except(rooms ...Room) BroadcastOperator { return n.op().Except(rooms...) }

// Volatile sets the volatile flag.
func (n *Namespace) Volatile() BroadcastOperator { return n.op().Volatile() }

// Compress allows or forbids compression of the broadcast.
func (n *Namespace) Compress(c bool) BroadcastOperator { return n.op().Compress(c) }

// Local restricts to this node.
func (n *Namespace) Local() BroadcastOperator { return n.op().Local() }

// Timeout sets the broadcast ack timeout.
func (n *Namespace) Timeout(d time.Duration) BroadcastOperator { return n.op().Timeout(d) }

// Emit broadcasts to every socket of the namespace.
func (n *Namespace) Emit(event string, args ...any) error { return n.op().Emit(event, args...) }

// Send broadcasts the "message" event.
func (n *Namespace) Send(args ...any) error { return n.op().Emit("message", args...) }

// EmitAck broadcasts with an acknowledgement (see BroadcastOperator.EmitAck).
func (n *Namespace) EmitAck(event string, cb BroadcastAckCallback, args ...any) error {
	return n.op().EmitAck(event, cb, args...)
}

// EmitWithAck broadcasts and waits for the responses.
func (n *Namespace) EmitWithAck(ctx context.Context, event string, args ...any) ([]Args, error) {
	return n.op().EmitWithAck(ctx, event, args...)
}

// FetchSockets returns the sockets of the namespace.
func (n *Namespace) FetchSockets() ([]RemoteSocket, error) { return n.op().FetchSockets() }

// SocketsJoin makes every socket join rooms.
func (n *Namespace) SocketsJoin(rooms ...Room) { n.op().SocketsJoin(rooms...) }

// SocketsLeave makes every socket leave rooms.
func (n *Namespace) SocketsLeave(rooms ...Room) { n.op().SocketsLeave(rooms...) }

// DisconnectSockets disconnects every socket.
func (n *Namespace) DisconnectSockets(close bool) { n.op().DisconnectSockets(close) }

// ServerSideEmit sends an event to the other nodes of the cluster (nothing
// to reach with the in-memory adapter). "connect", "connection" and
// "new_namespace" are refused with ErrReservedServerSideEvent.
func (n *Namespace) ServerSideEmit(event string, args ...any) error {
	return n.serverSideEmit(event, nil, args)
}

// ServerSideEmitAck is ServerSideEmit with an acknowledgement: ack gets one
// response per other node (argument order of Socket.EmitAck).
func (n *Namespace) ServerSideEmitAck(event string, ack BroadcastAckCallback, args ...any) error {
	return n.serverSideEmit(event, ack, args)
}

func (n *Namespace) serverSideEmit(event string, ack BroadcastAckCallback, args []any) error {
	switch event {
	case "connect", "connection", "new_namespace":
		return ErrReservedServerSideEvent
	}
	data, _, bp, err := eventData(event, false, args)
	defer releaseScratch(bp)
	if err != nil {
		return err
	}
	var cb func(error, []Args)
	if ack != nil {
		cb = ack
	}
	return n.adapter.ServerSideEmit(append([]byte(nil), data...), cb)
}

// Server shortcuts, all on the main namespace "/".

// Use adds a middleware to the main namespace.
func (srv *Server) Use(mw Middleware) *Server { srv.main.Use(mw); return srv }

// OnConnection adds a connection listener to the main namespace.
func (srv *Server) OnConnection(fn func(*Socket)) *Server { srv.main.OnConnection(fn); return srv }

// To targets rooms of the main namespace.
func (srv *Server) To(rooms ...Room) BroadcastOperator { return srv.main.To(rooms...) }

// In is an alias of To.
func (srv *Server) In(rooms ...Room) BroadcastOperator { return srv.main.To(rooms...) }

// Except excludes rooms of the main namespace.
func (srv *Server) Except(rooms ...Room) BroadcastOperator { return srv.main.Except(rooms...) }

// Volatile sets the volatile flag.
func (srv *Server) Volatile() BroadcastOperator { return srv.main.Volatile() }

// Compress allows or forbids compression of the broadcast.
func (srv *Server) Compress(c bool) BroadcastOperator { return srv.main.Compress(c) }

// Local restricts to this node.
func (srv *Server) Local() BroadcastOperator { return srv.main.Local() }

// Timeout sets the broadcast ack timeout.
func (srv *Server) Timeout(d time.Duration) BroadcastOperator { return srv.main.Timeout(d) }

// Emit broadcasts to every socket of the main namespace.
func (srv *Server) Emit(event string, args ...any) error { return srv.main.Emit(event, args...) }

// Send broadcasts the "message" event on the main namespace.
func (srv *Server) Send(args ...any) error { return srv.main.Send(args...) }

// EmitAck broadcasts with an acknowledgement on the main namespace.
func (srv *Server) EmitAck(event string, cb BroadcastAckCallback, args ...any) error {
	return srv.main.EmitAck(event, cb, args...)
}

// EmitWithAck broadcasts on the main namespace and waits for the responses.
func (srv *Server) EmitWithAck(ctx context.Context, event string, args ...any) ([]Args, error) {
	return srv.main.EmitWithAck(ctx, event, args...)
}

// FetchSockets returns the sockets of the main namespace.
func (srv *Server) FetchSockets() ([]RemoteSocket, error) { return srv.main.FetchSockets() }

// SocketsJoin makes every socket of the main namespace join rooms.
func (srv *Server) SocketsJoin(rooms ...Room) { srv.main.SocketsJoin(rooms...) }

// SocketsLeave makes every socket of the main namespace leave rooms.
func (srv *Server) SocketsLeave(rooms ...Room) { srv.main.SocketsLeave(rooms...) }

// DisconnectSockets disconnects every socket of the main namespace.
func (srv *Server) DisconnectSockets(close bool) { srv.main.DisconnectSockets(close) }

// ServerSideEmit sends an event to the other nodes (main namespace).
func (srv *Server) ServerSideEmit(event string, args ...any) error {
	return srv.main.ServerSideEmit(event, args...)
}

// ServerSideEmitAck sends an event to the other nodes (main namespace) and
// gives their responses to ack.
func (srv *Server) ServerSideEmitAck(event string, ack BroadcastAckCallback, args ...any) error {
	return srv.main.ServerSideEmitAck(event, ack, args...)
}

// Socket broadcast shortcuts: the sender is excluded (Node's
// socket.broadcast / socket.to(room)).

// Broadcast targets every other socket of the namespace.
func (s *Socket) Broadcast() BroadcastOperator {
	return BroadcastOperator{nsp: s.nsp, except: []Room{s.id}}
}

// To targets rooms, excluding the sender.
func (s *Socket) To(rooms ...Room) BroadcastOperator { return s.Broadcast().To(rooms...) }

// In is an alias of To.
func (s *Socket) In(rooms ...Room) BroadcastOperator { return s.Broadcast().To(rooms...) }

// Except targets every other socket not in rooms.
func (s *Socket) Except(rooms ...Room) BroadcastOperator { return s.Broadcast().Except(rooms...) }
