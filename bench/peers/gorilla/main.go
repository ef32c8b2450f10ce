// Command gorilla is the baseline of the idle-memory comparison in
// docs/benchmarks.md ("WebSockets through net/http"): a plain
// github.com/gorilla/websocket echo server on net/http, one goroutine per
// connection blocked in ReadMessage, as most Go WebSocket servers run.
// It speaks no Socket.IO: it is the floor a goroutine-per-connection
// server pays for an idle WebSocket.
//
//	gorilla -addr 127.0.0.1:3002
//	wsidle -addr 127.0.0.1:3002 -pid PID -n 5000
package main

import (
	"flag"
	"log"
	"net/http"

	"github.com/gorilla/websocket"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:3002", "listen address")
	flag.Parse()
	var up websocket.Upgrader // defaults: the buffers net/http already has are reused
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		for {
			op, msg, err := c.ReadMessage()
			if err != nil {
				return
			}
			if err := c.WriteMessage(op, msg); err != nil {
				return
			}
		}
	})
	log.Fatal(http.ListenAndServe(*addr, nil))
}
