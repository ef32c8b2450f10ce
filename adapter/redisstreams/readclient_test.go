package redisstreams

import (
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// TestReaderClientKeepsOptions: the reader's client of a *Client, a
// *ClusterClient and a *Ring ends up with the settings of the user's (the
// ones go-redis rewrites when it initializes options: "none" -1, "no
// deadline" -2, the defaults of 0, set values), except its pool.
func TestReaderClientKeepsOptions(t *testing.T) {
	for _, v := range []struct {
		name        string
		timeout     time.Duration
		retries     int
		backoff     time.Duration
		maxRedirect int
	}{
		{"defaults", 0, 0, 0, 0},
		{"none", -1, -1, -1, -1},
		{"no deadline", -2, 2, -1, 1},
		{"set", 1500 * time.Millisecond, 7, 3 * time.Millisecond, 5},
	} {
		t.Run(v.name, func(t *testing.T) {
			checkClient(t, goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:1", ReadTimeout: v.timeout, WriteTimeout: v.timeout,
				MaxRetries: v.retries, MinRetryBackoff: v.backoff, MaxRetryBackoff: v.backoff, DB: 3, PoolSize: 50, MinIdleConns: 0}))
			if v.timeout != -2 { // a *ClusterClient takes -2 as is
				checkCluster(t, goredis.NewClusterClient(&goredis.ClusterOptions{Addrs: []string{"127.0.0.1:1"}, ReadTimeout: v.timeout,
					WriteTimeout: v.timeout, MaxRetries: v.retries, MinRetryBackoff: v.backoff, MaxRetryBackoff: v.backoff, MaxRedirects: v.maxRedirect}))
			}
			checkRing(t, goredis.NewRing(&goredis.RingOptions{Addrs: map[string]string{"a": "127.0.0.1:1"}, ReadTimeout: v.timeout,
				WriteTimeout: v.timeout, MaxRetries: v.retries, MinRetryBackoff: v.backoff, MaxRetryBackoff: v.backoff}))
		})
	}
	if rc, owned := readerClient(struct{ *goredis.Client }{}); owned || rc == nil {
		t.Fatal("a client type it cannot copy must be shared, not owned")
	}
}

func copied(t *testing.T, user goredis.UniversalClient) goredis.UniversalClient {
	t.Helper()
	t.Cleanup(func() { _ = user.Close() })
	rc, owned := readerClient(user)
	if !owned || rc == user {
		t.Fatalf("%T not copied", user)
	}
	t.Cleanup(func() { _ = rc.Close() })
	return rc
}

func checkClient(t *testing.T, user *goredis.Client) {
	t.Helper()
	u, r := *user.Options(), *copied(t, user).(*goredis.Client).Options()
	if r.PoolSize != readerPoolSize {
		t.Errorf("pool size %d", r.PoolSize)
	}
	same(t, "client", [][2]any{{u.Addr, r.Addr}, {u.DB, r.DB}, {u.ReadTimeout, r.ReadTimeout}, {u.WriteTimeout, r.WriteTimeout},
		{u.MaxRetries, r.MaxRetries}, {u.MinRetryBackoff, r.MinRetryBackoff}, {u.MaxRetryBackoff, r.MaxRetryBackoff},
		{u.PoolTimeout, r.PoolTimeout}, {u.DialTimeout, r.DialTimeout}, {u.Protocol, r.Protocol}})
}

func checkCluster(t *testing.T, user *goredis.ClusterClient) {
	t.Helper()
	u, r := *user.Options(), *copied(t, user).(*goredis.ClusterClient).Options()
	same(t, "cluster", [][2]any{{u.ReadTimeout, r.ReadTimeout}, {u.WriteTimeout, r.WriteTimeout}, {u.MaxRetries, r.MaxRetries},
		{u.MinRetryBackoff, r.MinRetryBackoff}, {u.MaxRetryBackoff, r.MaxRetryBackoff}, {u.MaxRedirects, r.MaxRedirects}, {readerPoolSize, r.PoolSize}})
}

func checkRing(t *testing.T, user *goredis.Ring) {
	t.Helper()
	u, r := *user.Options(), *copied(t, user).(*goredis.Ring).Options()
	same(t, "ring", [][2]any{{u.ReadTimeout, r.ReadTimeout}, {u.WriteTimeout, r.WriteTimeout}, {u.MaxRetries, r.MaxRetries},
		{u.MinRetryBackoff, r.MinRetryBackoff}, {u.MaxRetryBackoff, r.MaxRetryBackoff}, {readerPoolSize, r.PoolSize}})
}

// same fails t for each pair whose values differ.
func same(t *testing.T, what string, pairs [][2]any) {
	t.Helper()
	for i, p := range pairs {
		if p[0] != p[1] {
			t.Errorf("%s option %d: user's %v, reader's %v", what, i, p[0], p[1])
		}
	}
}
