package socketio

import (
	"time"

	"github.com/sio-fast/sio-fast/rooms"
	"github.com/sio-fast/sio-fast/socketio/parser"
)

// Room names a room. Every socket is in the room named after its id.
type Room = rooms.Room

// BroadcastFlags are the per-broadcast flags of Node's BroadcastOptions.
type BroadcastFlags struct {
	Volatile   bool          // drop for recipients whose transport is not writable now
	NoCompress bool          // compress(false): sent without permessage-deflate or HTTP compression
	Local      bool          // this node only (cluster adapters skip publishing)
	Timeout    time.Duration // ack timeout of BroadcastWithAck (0: none given)
	Binary     bool          // the packet has attachments (informational)
}

// BroadcastOptions select the recipients of a broadcast: sockets in at least
// one of Rooms (every socket of the namespace when Rooms is empty) and in
// none of Except.
type BroadcastOptions struct {
	Rooms  []Room
	Except []Room
	Flags  BroadcastFlags
}

// RemoteSocket is what FetchSockets returns: a local *Socket, or (with a
// cluster adapter) a proxy for a socket on another node. Its methods are safe
// from any goroutine.
type RemoteSocket interface {
	ID() string
	Handshake() *Handshake
	Rooms() []Room
	Data() any
	Emit(event string, args ...any) error
	Join(rooms ...Room)
	Leave(room Room)
	Disconnect(close bool)
}

// Adapter is the per-namespace room and broadcast backend (Node's
// socket.io-adapter contract, features.md 1.13). One instance is created per
// namespace by Config.NewAdapter (default: NewMemoryAdapter); Init is called
// once, Close on Server.Close or when an empty child namespace is removed.
// Cluster adapters wrap a *MemoryAdapter for the local part.
//
// Every method must be safe for concurrent use from any goroutine and must
// not block on the network in Broadcast (publish asynchronously).
//
// Packets handed to Broadcast/BroadcastWithAck are EVENT packets whose Data
// is the JSON array (placeholders in place) and Attachments the binary
// values; Namespace is set. They are only valid during the call: an adapter
// that keeps one (to publish later) must copy Data.
type Adapter interface {
	Init() error
	Close() error
	// AddAll adds s to rooms; Del removes it from one room; DelAll from all.
	AddAll(s *Socket, rooms []Room)
	Del(s *Socket, room Room)
	DelAll(s *Socket)
	// Broadcast sends pkt to the sockets selected by opts.
	Broadcast(pkt *parser.Packet, opts *BroadcastOptions)
	// BroadcastWithAck sends pkt with an ack id (set by the caller, shared by
	// all recipients), reports the number of recipients of this node through
	// clientCount (once per node), and calls ack with each response (the Args
	// are valid during the call only).
	BroadcastWithAck(pkt *parser.Packet, opts *BroadcastOptions, clientCount func(n int), ack func(args Args))
	// Sockets returns the ids of the sockets in rooms (all when empty).
	Sockets(rooms []Room) []string
	// SocketRooms returns the rooms of s.
	SocketRooms(s *Socket) []Room
	// FetchSockets returns the sockets selected by opts.
	FetchSockets(opts *BroadcastOptions) ([]RemoteSocket, error)
	// AddSockets / DelSockets make the selected sockets join / leave rooms.
	AddSockets(opts *BroadcastOptions, rooms []Room)
	DelSockets(opts *BroadcastOptions, rooms []Room)
	// DisconnectSockets disconnects the selected sockets.
	DisconnectSockets(opts *BroadcastOptions, close bool)
	// ServerSideEmit sends an event to the other nodes; data is the JSON
	// array ["event",args...]. ack (may be nil) receives one response per
	// other node.
	ServerSideEmit(data []byte, ack func(err error, responses []Args)) error
	// ServerCount returns the number of nodes, this one included.
	ServerCount() int
}
