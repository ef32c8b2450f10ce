package main

import (
	"flag"
	"fmt"
	"log/slog"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/redis"
	"github.com/sio-fast/sio-fast/adapter/redisstreams"
	"github.com/sio-fast/sio-fast/socketio"
)

// clusterFlags join the Socket.IO modes to a cluster over Redis (the bench
// contract's -redis and -redis-mode options).
type clusterFlags struct {
	url    string
	mode   string
	prefix string
	subs   string // sharded subscription mode
}

func (c *clusterFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.url, "redis", "", "join a cluster over Redis at this URL (redis://host:port/db), as Node's @socket.io/redis-adapter")
	fs.StringVar(&c.mode, "redis-mode", "pubsub", "cluster adapter: pubsub (createAdapter), sharded (createShardedAdapter, Redis >= 7) or streams (@socket.io/redis-streams-adapter, recovery across nodes with -recovery)")
	fs.StringVar(&c.subs, "redis-subscription-mode", "dynamic", "sharded mode's subscriptionMode: static, dynamic or dynamic-private")
	fs.StringVar(&c.prefix, "redis-prefix", "socket.io", "channel prefix (the adapter's key option; channelPrefix in streams mode)")
}

func (c *clusterFlags) check() error {
	if c.url == "" {
		return nil
	}
	if _, err := goredis.ParseURL(c.url); err != nil {
		return fmt.Errorf("-redis: %w", err)
	}
	switch c.mode {
	case "pubsub", "streams":
		return nil
	case "sharded":
		_, err := redis.NewSharded(nil, c.shardedOptions(nil))
		return err
	}
	return fmt.Errorf("-redis-mode %q: want pubsub, sharded or streams", c.mode)
}

// adapter returns the NewAdapter of the cluster, nil without -redis (the
// in-memory adapter). The Redis client lives as long as the process.
func (c *clusterFlags) adapter(logger *slog.Logger) (func(*socketio.Namespace) socketio.Adapter, error) {
	if c.url == "" {
		return nil, nil
	}
	opt, err := goredis.ParseURL(c.url)
	if err != nil {
		return nil, err
	}
	if c.mode == "streams" {
		return redisstreams.New(goredis.NewClient(opt), redisstreams.Options{ChannelPrefix: c.prefix, Logger: logger}), nil
	}
	if c.mode == "sharded" {
		return redis.NewSharded(goredis.NewClient(opt), c.shardedOptions(logger))
	}
	return redis.New(goredis.NewClient(opt), redis.Options{Key: c.prefix, Logger: logger}), nil
}

func (c *clusterFlags) shardedOptions(logger *slog.Logger) redis.ShardedOptions {
	return redis.ShardedOptions{
		Options:          redis.Options{Key: c.prefix, Logger: logger},
		SubscriptionMode: redis.SubscriptionMode(c.subs),
	}
}

// clusterEvents are the bench contract's events for clusters: count (the
// sockets of a room, or all, across the cluster) and whoami (recovered is
// true for a socket whose session was restored, -recovery).
func clusterEvents(sio *socketio.Server) {
	count := func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		if ack == nil {
			return
		}
		op := sio.In() // no room: every socket
		if room, ok := args.String(0); ok {
			op = sio.In(room)
		}
		go func() { // FetchSockets waits for the other nodes
			sockets, err := op.FetchSockets()
			if err != nil {
				_ = ack(-1)
				return
			}
			_ = ack(len(sockets))
		}()
	}
	whoami := func(s *socketio.Socket, args socketio.Args, ack socketio.AckFunc) {
		if ack != nil {
			_ = ack(map[string]any{"id": s.ID(), "recovered": s.Recovered(), "rooms": s.Rooms()})
		}
	}
	sio.OnConnection(func(s *socketio.Socket) {
		s.On("count", count)
		s.On("whoami", whoami)
	})
}
