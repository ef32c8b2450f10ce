// Command gin serves Socket.IO on a github.com/gin-gonic/gin engine beside
// a REST route: the Engine.IO server is wrapped with gin.WrapH for every
// method under /socket.io/.
//
//	go run ./gin -addr 127.0.0.1:3000
package main

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/examples/internal/demo"
)

func main() { demo.Run(newHandler()) }

func newHandler() (http.Handler, *engineio.Server) {
	gin.SetMode(gin.ReleaseMode)
	eng := demo.Engine()
	r := gin.New()
	r.Use(gin.Recovery())
	r.GET("/api/ping", gin.WrapF(demo.Ping))
	r.Any("/socket.io/*any", gin.WrapH(eng))
	return r, eng
}
