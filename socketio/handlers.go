package socketio

// eventHandlers maps event names to a socket's handlers. Sockets usually
// register a handful of events each, in their connection listener: a slice
// searched linearly costs about half of what a map costs per idle socket
// and finds a name among a few as fast. Past maxLinearHandlers entries a map
// takes over, so a socket with many events still looks them up in O(1).
type eventHandlers struct {
	list   []handlerEntry
	byName map[string]EventHandler // set once list would outgrow maxLinearHandlers
}

type handlerEntry struct {
	event string
	h     EventHandler
}

const maxLinearHandlers = 16

func (t *eventHandlers) get(event []byte) EventHandler {
	if t.byName != nil {
		return t.byName[string(event)]
	}
	for i := range t.list {
		if t.list[i].event == string(event) {
			return t.list[i].h
		}
	}
	return nil
}

// set registers h for event. hint is how many handlers the sockets of the
// namespace registered so far (at most): the list is allocated that large
// at once, since sockets of one namespace usually register the same events.
func (t *eventHandlers) set(event string, h EventHandler, hint int) {
	if t.byName != nil {
		t.byName[event] = h
		return
	}
	for i := range t.list {
		if t.list[i].event == event {
			t.list[i].h = h
			return
		}
	}
	if len(t.list) == maxLinearHandlers {
		t.byName = make(map[string]EventHandler, 2*maxLinearHandlers)
		for _, e := range t.list {
			t.byName[e.event] = e.h
		}
		t.byName[event] = h
		t.list = nil
		return
	}
	if len(t.list) == cap(t.list) {
		// Grow to the hint, else by a few entries, not by doubling: the list
		// is built once per socket and then kept for its whole life.
		n := len(t.list) + 4
		if hint > len(t.list) {
			n = min(hint, maxLinearHandlers)
		}
		t.list = append(make([]handlerEntry, 0, n), t.list...)
	}
	t.list = append(t.list, handlerEntry{event, h})
}

func (t *eventHandlers) remove(event string) {
	if t.byName != nil {
		delete(t.byName, event)
		return
	}
	for i := range t.list {
		if t.list[i].event == event {
			t.list = append(t.list[:i], t.list[i+1:]...)
			return
		}
	}
}
