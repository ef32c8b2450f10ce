module github.com/sio-fast/sio-fast/bench/peers/gorilla

go 1.26

require github.com/gorilla/websocket v1.5.3
