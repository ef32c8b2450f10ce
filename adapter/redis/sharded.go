package redis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/internal/remote"
	"github.com/sio-fast/sio-fast/socketio"
)

// SubscriptionMode is createShardedAdapter's subscriptionMode: which rooms
// get a channel of their own.
type SubscriptionMode string

// The subscription modes of the sharded adapter.
const (
	// SubscribeStatic: two channels per namespace, every broadcast on the
	// namespace channel.
	SubscribeStatic SubscriptionMode = "static"
	// SubscribeDynamic (the default): also a channel per public room (not a
	// socket id), subscribed while the room exists on this node.
	SubscribeDynamic SubscriptionMode = "dynamic"
	// SubscribeDynamicPrivate: also a channel per socket-id room.
	SubscribeDynamicPrivate SubscriptionMode = "dynamic-private"
)

// ShardedOptions configure NewSharded. Options.Key is Node's channelPrefix
// (default "socket.io"); PublishOnSpecificResponseChannel does not apply
// (responses always go to the requesting node's channel).
type ShardedOptions struct {
	Options
	// SubscriptionMode defaults to SubscribeDynamic.
	SubscriptionMode SubscriptionMode
}

var (
	_ socketio.Adapter      = (*Sharded)(nil)
	_ socketio.LocalCounter = (*Sharded)(nil)
)

// NewSharded returns a socketio.Config.NewAdapter that joins every
// namespace to a cluster over Redis ≥ 7 sharded Pub/Sub, wire-compatible
// with Node's createShardedAdapter. The client is shared by all namespaces
// and is not closed by the adapters. Unknown subscription modes are an
// error.
func NewSharded(client goredis.UniversalClient, opts ShardedOptions) (func(*socketio.Namespace) socketio.Adapter, error) {
	switch opts.SubscriptionMode {
	case "":
		opts.SubscriptionMode = SubscribeDynamic
	case SubscribeStatic, SubscribeDynamic, SubscribeDynamicPrivate:
	default:
		return nil, fmt.Errorf("redis: subscription mode %q: want static, dynamic or dynamic-private", opts.SubscriptionMode)
	}
	opts.Options = opts.Options.withDefaults()
	return func(nsp *socketio.Namespace) socketio.Adapter { return newSharded(nsp, client, opts) }, nil
}

// Sharded is the sharded adapter of one namespace. Its methods are safe
// from any goroutine; all but FetchSockets and WaitReady return without
// waiting for the network.
type Sharded struct {
	core
	mem  *socketio.MemoryAdapter // local sockets
	nsp  *socketio.Namespace
	mode SubscriptionMode
	uid  string // 16 hex digits, as ClusterAdapter's randomId()
	// channel is key#nsp#, response key#nsp#uid#.
	channel, response string

	sids     sync.Map // ids of the local sockets (Node's sids), for the room hooks
	rooms    roomSubscriptions
	requests remote.Requests[clusterRequest]
	acks     ackRequests
}

func newSharded(nsp *socketio.Namespace, client goredis.UniversalClient, opts ShardedOptions) *Sharded {
	a := &Sharded{
		nsp:  nsp,
		mode: opts.SubscriptionMode,
		uid:  hexID(),
	}
	a.core.init(client, opts.Options, opts.Logger.With("adapter", "redis-sharded", "namespace", nsp.Name()))
	a.channel = opts.Key + "#" + nsp.Name() + "#"
	a.response = a.channel + a.uid + "#"
	var hooks socketio.MemoryAdapterHooks
	if a.mode != SubscribeStatic {
		hooks.OnCreateRoom = func(room socketio.Room) { a.roomChanged(room, true) }
		hooks.OnDeleteRoom = func(room socketio.Room) { a.roomChanged(room, false) }
	}
	a.mem = socketio.NewMemoryAdapterWithHooks(nsp, hooks)
	a.rooms.init()
	a.acks.init()
	a.subscribe = func(ps *goredis.PubSub) error { return ps.SSubscribe(a.ctx, a.channel, a.response) }
	a.fixed, a.dispatch = []string{a.channel, a.response}, a.onMessage
	a.count.ask = func(ctx context.Context) (int64, error) {
		res, err := a.client.PubSubShardNumSub(ctx, a.channel).Result()
		return res[a.channel], err
	}
	return a
}

// hexID is ClusterAdapter's randomId(): 8 random bytes in hex.
func hexID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// UID returns the adapter's uid, which other nodes see as the sender of
// this node's messages.
func (a *Sharded) UID() string { return a.uid }

// Init starts the receiving, publishing, counting and (dynamic modes)
// room-subscribing goroutines. It does not wait for Redis: use WaitReady.
func (a *Sharded) Init() error {
	a.start(true)
	if a.mode != SubscribeStatic {
		a.done.Add(1)
		go func() { defer a.done.Done(); a.rooms.run(a) }()
	}
	return nil
}

// dynamicChannel is the channel of a room: key#nsp#room#.
func (a *Sharded) dynamicChannel(room string) string { return a.channel + room + "#" }

// separateChannel is Node's shouldUseASeparateNamespace: every room in
// dynamic-private mode, public rooms (not a local socket's id) in dynamic.
func (a *Sharded) separateChannel(room string) bool {
	if a.mode == SubscribeDynamicPrivate {
		return true
	}
	_, isSID := a.sids.Load(room)
	return a.mode == SubscribeDynamic && !isSID
}

// roomChanged is the create-room/delete-room hook: it only queues the
// (un)subscription (the hook may run under the room index's lock).
func (a *Sharded) roomChanged(room socketio.Room, created bool) {
	if a.separateChannel(room) {
		a.rooms.push(roomSubscription{channel: a.dynamicChannel(room), subscribe: created})
	}
}

// roomSubscription is one SSUBSCRIBE or SUNSUBSCRIBE of a room channel.
type roomSubscription struct {
	channel   string
	subscribe bool
}

// roomSubscriptions is an unbounded FIFO of room (un)subscriptions, sent in
// order by one goroutine (go-redis resubscribes them after a reconnection).
type roomSubscriptions struct {
	mu     sync.Mutex
	queue  []roomSubscription
	notify chan struct{}
}

func (r *roomSubscriptions) init() { r.notify = make(chan struct{}, 1) }

func (r *roomSubscriptions) push(s roomSubscription) {
	r.mu.Lock()
	r.queue = append(r.queue, s)
	r.mu.Unlock()
	select {
	case r.notify <- struct{}{}:
	default:
	}
}

func (r *roomSubscriptions) run(a *Sharded) {
	for {
		select {
		case <-r.notify:
		case <-a.ctx.Done():
			return
		}
		r.mu.Lock()
		batch := r.queue
		r.queue = nil
		r.mu.Unlock()
		for _, s := range batch {
			var err error
			if s.subscribe {
				err = a.ps.SSubscribe(a.ctx, s.channel)
			} else {
				err = a.ps.SUnsubscribe(a.ctx, s.channel)
			}
			if err != nil && a.ctx.Err() == nil {
				a.log.Warn("redis room subscription failed", "channel", s.channel, "subscribe", s.subscribe, "err", err)
			}
		}
	}
}

// AddAll adds s to rooms. Any goroutine.
func (a *Sharded) AddAll(s *socketio.Socket, rooms []socketio.Room) {
	a.sids.Store(s.ID(), struct{}{})
	a.mem.AddAll(s, rooms)
}

// Del removes s from room. Any goroutine.
func (a *Sharded) Del(s *socketio.Socket, room socketio.Room) { a.mem.Del(s, room) }

// DelAll removes s from all its rooms. Any goroutine.
func (a *Sharded) DelAll(s *socketio.Socket) {
	a.mem.DelAll(s)
	a.sids.Delete(s.ID())
}

// Sockets returns the ids of the local sockets in rooms. Any goroutine.
func (a *Sharded) Sockets(rooms []socketio.Room) []string { return a.mem.Sockets(rooms) }

// CountLocal returns how many local sockets a broadcast with opts reaches
// (socketio.LocalCounter). Any goroutine.
func (a *Sharded) CountLocal(opts *socketio.BroadcastOptions) int { return a.mem.CountLocal(opts) }

// SocketRooms returns the rooms of the local socket s. Any goroutine.
func (a *Sharded) SocketRooms(s *socketio.Socket) []socketio.Room { return a.mem.SocketRooms(s) }

// Len returns the number of local sockets in room. Any goroutine.
func (a *Sharded) Len(room socketio.Room) int { return a.mem.Len(room) }

// Rooms returns the rooms of the local sockets. Any goroutine.
func (a *Sharded) Rooms() []socketio.Room { return a.mem.Rooms() }
