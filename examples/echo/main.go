// Command echo serves Socket.IO on a github.com/labstack/echo/v4 server
// beside a REST route: the Engine.IO server is wrapped with
// echo.WrapHandler for every method under /socket.io/.
//
//	go run ./echo -addr 127.0.0.1:3000
package main

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/examples/internal/demo"
)

func main() { demo.Run(newHandler()) }

func newHandler() (http.Handler, *engineio.Server) {
	eng := demo.Engine()
	e := echo.New()
	e.HideBanner = true
	e.Use(middleware.Recover())
	e.GET("/api/ping", echo.WrapHandler(http.HandlerFunc(demo.Ping)))
	e.Any("/socket.io/*", echo.WrapHandler(eng))
	return e, eng
}
