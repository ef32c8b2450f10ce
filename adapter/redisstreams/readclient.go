package redisstreams

import (
	"time"

	goredis "github.com/redis/go-redis/v9"
)

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
		o.ReadTimeout, o.WriteTimeout = unsetTimeout(o.ReadTimeout), unsetTimeout(o.WriteTimeout)
		o.MaxRetries, o.MinRetryBackoff, o.MaxRetryBackoff = unsetZero(o.MaxRetries), unsetZero(o.MinRetryBackoff), unsetZero(o.MaxRetryBackoff)
		return goredis.NewClient(&o), true
	case *goredis.ClusterClient:
		o := *c.Options() // NewClusterClient initializes its options in place: a copy
		o.PoolSize, o.MinIdleConns, o.MaxIdleConns, o.PipelinePoolSize = readerPoolSize, 0, 0, -1
		if o.MaintNotificationsConfig != nil {
			m := *o.MaintNotificationsConfig
			o.MaintNotificationsConfig = &m
		}
		o.ReadTimeout, o.WriteTimeout, o.MaxRedirects = unsetZero(o.ReadTimeout), unsetZero(o.WriteTimeout), unsetZero(o.MaxRedirects)
		o.MinRetryBackoff, o.MaxRetryBackoff = unsetZero(o.MinRetryBackoff), unsetZero(o.MaxRetryBackoff)
		return goredis.NewClusterClient(&o), true
	case *goredis.Ring:
		o := *c.Options()
		o.PoolSize, o.MinIdleConns, o.MaxIdleConns, o.PipelinePoolSize = readerPoolSize, 0, 0, -1
		o.MaxRetries, o.MinRetryBackoff, o.MaxRetryBackoff = unsetZero(o.MaxRetries), unsetZero(o.MinRetryBackoff), unsetZero(o.MaxRetryBackoff)
		return goredis.NewRing(&o), true
	}
	return client, false
}

// The options of a built client are initialized, and initializing them
// again is not neutral for every field: go-redis reads 0 as "the default"
// (3 retries, 5 s timeouts) and -1 as "none" (0), -2 as "no deadline" (-1)
// for a *Client's timeouts. unsetZero and unsetTimeout return the value
// that initializes to v again (measured: without them a client built
// with MaxRetries -1 had its reader retry 3 times).
func unsetZero[T int | time.Duration](v T) T {
	if v == 0 {
		return -1
	}
	return v
}

func unsetTimeout(d time.Duration) time.Duration {
	switch d {
	case 0:
		return -1
	case -1:
		return -2
	}
	return d
}
