package wsclient

import "fmt"

// Transport selects how a client reaches its WebSocket.
type Transport uint8

const (
	// TransportWebSocket opens `transport=websocket` straight away; the
	// Engine.IO open packet is the first frame (bench contract default).
	TransportWebSocket Transport = iota
	// TransportPollingUpgrade starts like a default socket.io-client: a
	// polling handshake GET on one TCP connection, then a WebSocket with the
	// session id on a second one, upgraded with `2probe`/`3probe`/`5`. The
	// two connections may land on different server event loops, which is
	// what this mode exists to measure.
	TransportPollingUpgrade
	// TransportPolling never leaves HTTP long-polling, like a
	// socket.io-client with transports: ["polling"]: the handshake GET, then
	// one GET outstanding per client on its own keep-alive connection, and
	// every packet the client sends (its "40", pongs, broadcasts) in a POST
	// on a small shared pool of keep-alive connections (see pollonly.go).
	TransportPolling
)

var transportNames = [...]string{
	TransportWebSocket:      "websocket",
	TransportPollingUpgrade: "polling-upgrade",
	TransportPolling:        "polling",
}

// ParseTransport reads a transport name: "websocket", "polling-upgrade" or
// "polling".
func ParseTransport(s string) (Transport, error) {
	for t, name := range transportNames {
		if s == name {
			return Transport(t), nil
		}
	}
	return 0, fmt.Errorf("%w: %q (want websocket, polling-upgrade or polling)", ErrTransport, s)
}

func (t Transport) String() string {
	if int(t) < len(transportNames) {
		return transportNames[t]
	}
	return fmt.Sprintf("Transport(%d)", uint8(t))
}

// MarshalText and UnmarshalText let a Transport be a flag.TextVar.
func (t Transport) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseTransport.
func (t *Transport) UnmarshalText(b []byte) error {
	v, err := ParseTransport(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}
