package redisproto

// Channels are the Pub/Sub channel names of one namespace for a key prefix
// (default "socket.io"), as @socket.io/redis-adapter names them.
type Channels struct {
	Broadcast string // key#nsp#  (room channels append room#)
	Request   string // key-request#nsp#
	Response  string // key-response#nsp#
}

// ChannelsFor returns the channels of nsp under key. The namespace is
// inserted raw.
func ChannelsFor(key, nsp string) Channels {
	return Channels{
		Broadcast: key + "#" + nsp + "#",
		Request:   key + "-request#" + nsp + "#",
		Response:  key + "-response#" + nsp + "#",
	}
}

// RoomChannel is the channel of a broadcast that targets exactly one room.
func (c Channels) RoomChannel(room string) string { return c.Broadcast + room + "#" }

// SpecificResponse is the response channel of the node uid
// (publishOnSpecificResponseChannel).
func (c Channels) SpecificResponse(uid string) string { return c.Response + uid + "#" }

// BroadcastChannel picks the channel of a broadcast: the room channel when
// it targets exactly one room, the namespace channel otherwise.
func (c Channels) BroadcastChannel(rooms []string) string {
	if len(rooms) == 1 {
		return c.RoomChannel(rooms[0])
	}
	return c.Broadcast
}
