package admin_test

import (
	"errors"
	"fmt"

	"golang.org/x/crypto/bcrypt"

	"github.com/sio-fast/sio-fast/engineio"
	"github.com/sio-fast/sio-fast/socketio"
	"github.com/sio-fast/sio-fast/socketio/admin"
)

// Instrument a server for the hosted admin UI (https://admin.socket.io):
// basic auth with a bcrypt hash, and CORS for the UI's origin (it connects
// with credentials). Serve the engine with loop.Serve as usual.
func ExampleInstrument() {
	sio := socketio.NewServer(socketio.Config{})
	hash, _ := bcrypt.GenerateFromPassword([]byte("changeit"), bcrypt.DefaultCost)
	a, err := admin.Instrument(sio, admin.Options{
		Auth: &admin.BasicAuth{Username: "admin", PasswordHash: string(hash)},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer a.Close()
	_ = sio.NewEngine(engineio.Config{
		CORS: &engineio.CORS{Origins: []string{"https://admin.socket.io"}, Credentials: true},
	})
	fmt.Println(a.Namespace().Name())

	// The password option is a hash, never the password itself.
	_, err = admin.Instrument(socketio.NewServer(socketio.Config{}), admin.Options{
		Auth: &admin.BasicAuth{Username: "admin", PasswordHash: "changeit"},
	})
	fmt.Println(errors.Is(err, admin.ErrInvalidHash))
	// Output:
	// /admin
	// true
}
