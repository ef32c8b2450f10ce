package packet

import (
	"encoding/json"
	"testing"
)

func TestAppendOpen(t *testing.T) {
	tests := []struct {
		name string
		h    Handshake
		v3   bool
		want string
	}{
		{"2.4 node defaults", Handshake{SID: "lv_VI97HAXpY6yYWAAAC", Upgrades: []string{"websocket"}, PingInterval: 25000, PingTimeout: 20000, MaxPayload: 1000000}, false,
			`0{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`},
		{"6.1 suite polling", Handshake{SID: "S1", Upgrades: []string{"websocket"}, PingInterval: 300, PingTimeout: 200, MaxPayload: 1000000}, false,
			`0{"sid":"S1","upgrades":["websocket"],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000}`},
		{"6.10 suite websocket", Handshake{SID: "S1", PingInterval: 300, PingTimeout: 200, MaxPayload: 1000000}, false,
			`0{"sid":"S1","upgrades":[],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000}`},
		{"v3 without maxPayload", Handshake{SID: "S1", Upgrades: []string{"websocket"}, PingInterval: 25000, PingTimeout: 5000}, true,
			`0{"sid":"S1","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000}`},
		{"v3 like node 4", Handshake{SID: "S1", Upgrades: []string{"websocket"}, PingInterval: 300, PingTimeout: 200, MaxPayload: 1000000}, true,
			`0{"sid":"S1","upgrades":["websocket"],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000}`},
		{"two upgrades", Handshake{SID: "S", Upgrades: []string{"websocket", "webtransport"}}, false,
			`0{"sid":"S","upgrades":["websocket","webtransport"],"pingInterval":0,"pingTimeout":0,"maxPayload":0}`},
		{"escaping", Handshake{SID: "a\"b\\c\n\x01"}, false,
			`0{"sid":"a\"b\\c\n\u0001","upgrades":[],"pingInterval":0,"pingTimeout":0,"maxPayload":0}`},
	}
	for _, tt := range tests {
		got := AppendOpen(nil, tt.h, tt.v3)
		if string(got) != tt.want {
			t.Errorf("%s:\n got  %s\n want %s", tt.name, got, tt.want)
		}
		var v map[string]any
		if err := json.Unmarshal(got[1:], &v); err != nil {
			t.Errorf("%s: invalid JSON: %v", tt.name, err)
		} else if v["sid"] != tt.h.SID {
			t.Errorf("%s: sid %q", tt.name, v["sid"])
		}
	}
}
