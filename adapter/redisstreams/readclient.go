package redisstreams

import goredis "github.com/redis/go-redis/v9"

// readerPoolSize bounds the connections of the reader's own client (per
// node for a cluster or a ring): one for the blocked XREAD, one spare for
// what go-redis may run beside it (a cluster's CLUSTER SLOTS, a ring's
// heartbeat). Connections are dialed only when used.
const readerPoolSize = 2

// readerClient returns a client of the stream reader's own, made from
// client's options, and true; Close closes it, which ends a blocked XREAD
// at once by closing its connection. go-redis offers no other way: a
// cancelled context only bounds a command by its deadline, and closing a
// client.Conn() waits for the command in progress (measured with go-redis
// v9.23: both returned after the full 5 s BLOCK). client itself is never
// closed: it belongs to whoever created it.
//
// It copies *goredis.Client (single node, Sentinel failover included),
// *goredis.ClusterClient and *goredis.Ring. Any other UniversalClient is
// returned as is, with false: the reader then shares it, and Close waits
// for its XREAD to end (up to BlockTime). Hooks added to client with
// AddHook are not copied: the reader's XREADs do not run them.
func readerClient(client goredis.UniversalClient) (goredis.UniversalClient, bool) {
	switch c := client.(type) {
	case *goredis.Client:
		o := *c.Options()
		o.PoolSize, o.MinIdleConns, o.MaxIdleConns, o.PipelinePoolSize = readerPoolSize, 0, 0, -1
		// The options of a built client hold its push-notification
		// processor: the copy gets a fresh one, as NewClient gives every
		// client. XREAD is never cached: no client-side cache.
		o.PushNotificationProcessor, o.ClientSideCache, o.ClientSideCacheConfig = nil, nil, nil
		return goredis.NewClient(&o), true
	case *goredis.ClusterClient:
		o := *c.Options() // NewClusterClient initializes its options in place: a copy
		o.PoolSize, o.MinIdleConns, o.MaxIdleConns, o.PipelinePoolSize = readerPoolSize, 0, 0, -1
		if o.MaintNotificationsConfig != nil {
			m := *o.MaintNotificationsConfig
			o.MaintNotificationsConfig = &m
		}
		return goredis.NewClusterClient(&o), true
	case *goredis.Ring:
		o := *c.Options()
		o.PoolSize, o.MinIdleConns, o.MaxIdleConns, o.PipelinePoolSize = readerPoolSize, 0, 0, -1
		return goredis.NewRing(&o), true
	}
	return client, false
}
