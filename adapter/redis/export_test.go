package redis

// HandleMessage runs the receiving side on one message, as if it came from
// Redis on channel (benchmarks and allocation tests).
func (a *Adapter) HandleMessage(channel string, payload []byte) {
	switch channel {
	case a.ch.Request:
		a.onRequest(payload)
	default:
		a.onBroadcast(channel, payload)
	}
}
