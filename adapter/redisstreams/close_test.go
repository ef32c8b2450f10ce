package redisstreams_test

import (
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/sio-fast/sio-fast/adapter/internal/clustertest"
	"github.com/sio-fast/sio-fast/adapter/redisstreams"
	"github.com/sio-fast/sio-fast/socketio"
)

// TestCloseLeavesNothing: a closed Streams adapter leaves no goroutine
// (its stream reader included) and dials Redis no more.
func TestCloseLeavesNothing(t *testing.T) {
	clustertest.CheckClose(t, func(rdb *goredis.Client) func(*socketio.Namespace) socketio.Adapter {
		return redisstreams.New(rdb, redisstreams.Options{Logger: quietLog, RequestsTimeout: 2 * time.Second})
	})
}
