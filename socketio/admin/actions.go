package admin

import (
	"github.com/sio-fast/sio-fast/socketio"
)

// onAdminConnection greets an admin client: config, the socket list in
// development mode, and the action handlers unless read-only.
func (a *Admin) onAdminConnection(s *socketio.Socket) {
	if !a.opts.ReadOnly {
		s.On("emit", a.onEmit)
		s.On("join", a.onJoin)
		s.On("leave", a.onLeave)
		s.On("_disconnect", a.onDisconnect)
	}
	_ = s.Emit("config", map[string]any{"supportedFeatures": a.features})
	if a.opts.Mode == Development {
		_ = s.Emit("all_sockets", a.allSockets())
	}
}

// target is the sockets an action applies to: those of namespace nsp, or
// of its room or socket id filter when one is given. Unknown namespaces
// are ignored (Node would create them).
func (a *Admin) target(args socketio.Args, filterAt int) (socketio.BroadcastOperator, bool) {
	name, ok := args.String(0)
	if !ok {
		return socketio.BroadcastOperator{}, false
	}
	var nsp *socketio.Namespace
	for _, n := range a.srv.Namespaces() {
		if n.Name() == name {
			nsp = n
		}
	}
	if nsp == nil {
		return socketio.BroadcastOperator{}, false
	}
	if filter, ok := args.String(filterAt); ok && filter != "" {
		return nsp.In(filter), true
	}
	return nsp.Except(), true
}

// onEmit is `emit(nsp, filter, event, ...args)`.
func (a *Admin) onEmit(_ *socketio.Socket, args socketio.Args, _ socketio.AckFunc) {
	op, ok := a.target(args, 1)
	event, evOK := args.String(2)
	if !ok || !evOK {
		return
	}
	rest := make([]any, 0, args.Len())
	for i := 3; i < args.Len(); i++ {
		rest = append(rest, args.Arg(i))
	}
	_ = op.Emit(event, rest...)
}

// onJoin is `join(nsp, room, filter?)`.
func (a *Admin) onJoin(_ *socketio.Socket, args socketio.Args, _ socketio.AckFunc) {
	op, ok := a.target(args, 2)
	room, roomOK := args.String(1)
	if ok && roomOK {
		op.SocketsJoin(room)
	}
}

// onLeave is `leave(nsp, room, filter?)`.
func (a *Admin) onLeave(_ *socketio.Socket, args socketio.Args, _ socketio.AckFunc) {
	op, ok := a.target(args, 2)
	room, roomOK := args.String(1)
	if ok && roomOK {
		op.SocketsLeave(room)
	}
}

// onDisconnect is `_disconnect(nsp, close, filter?)`.
func (a *Admin) onDisconnect(_ *socketio.Socket, args socketio.Args, _ socketio.AckFunc) {
	op, ok := a.target(args, 2)
	if !ok {
		return
	}
	v, _ := args.Value(1)
	closeConn, _ := v.(bool)
	op.DisconnectSockets(closeConn)
}
