package engineio

// Handler receives the events of one session, on its home loop. One value
// per session serves every event, so a session with a Handler costs no
// closure per callback (Socket.IO sets one per connection).
type Handler interface {
	// OnMessage receives a message; data is valid only during the call.
	OnMessage(data []byte, binary bool)
	// OnClose runs once when the session ends; reason is one of the Reason
	// constants.
	OnClose(reason, description string)
}

// UpgradeHandler is implemented by a Handler that wants to know when the
// session moved to WebSocket. OnUpgrade runs on the session's home from
// then on: the WebSocket's loop, where a session upgraded across loops has
// just moved (move per-loop state of the handler there).
type UpgradeHandler interface{ OnUpgrade() }

// DrainHandler is implemented by a Handler that wants to know when the
// polling write buffer was flushed.
type DrainHandler interface{ OnDrain() }

// funcHandler adapts the OnMessage, OnClose, OnUpgrade and OnDrain
// callbacks to Handler.
type funcHandler struct {
	message func(data []byte, binary bool)
	close   func(reason, description string)
	upgrade func()
	drain   func()
}

func (f *funcHandler) OnMessage(data []byte, binary bool) {
	if f.message != nil {
		f.message(data, binary)
	}
}

func (f *funcHandler) OnClose(reason, description string) {
	if f.close != nil {
		f.close(reason, description)
	}
}

func (f *funcHandler) OnUpgrade() {
	if f.upgrade != nil {
		f.upgrade()
	}
}

func (f *funcHandler) OnDrain() {
	if f.drain != nil {
		f.drain()
	}
}
