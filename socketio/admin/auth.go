package admin

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"sync"

	"golang.org/x/crypto/bcrypt"

	"github.com/sio-fast/sio-fast/socketio"
)

// errInvalidCredentials is the refusal the UI recognises by its text.
var errInvalidCredentials = errors.New("invalid credentials")

// sessionStore keeps the session ids given to logged-in UIs (Node's
// InMemoryStore: they live as long as the process).
type sessionStore struct {
	mu  sync.Mutex
	ids map[string]struct{}
}

func (st *sessionStore) has(id string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	_, ok := st.ids[id]
	return ok
}

// create stores and returns a new session id: 16 hex characters, as Node.
func (st *sessionStore) create() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	st.mu.Lock()
	st.ids[id] = struct{}{}
	st.mu.Unlock()
	return id
}

// credentials is the CONNECT auth the UI sends.
type credentials struct {
	SessionID string `json:"sessionId"`
	Username  string `json:"username"`
	Password  string `json:"password"`
}

// authenticate is the admin namespace middleware of basic auth. The bcrypt
// comparison (tens of ms) runs on a goroutine of its own, off the loop.
func (a *Admin) authenticate(s *socketio.Socket, next func(error)) {
	var c credentials
	_ = json.Unmarshal(s.Handshake().Auth, &c) // bad JSON: no credentials
	if c.SessionID != "" && a.sessions.has(c.SessionID) {
		next(nil)
		return
	}
	auth := a.opts.Auth
	if c.Username != auth.Username {
		next(errInvalidCredentials)
		return
	}
	go func() {
		if bcrypt.CompareHashAndPassword([]byte(auth.PasswordHash), []byte(c.Password)) != nil {
			next(errInvalidCredentials)
			return
		}
		// Sent before the CONNECT reply, as Node: the client buffers it.
		_ = s.Emit("session", a.sessions.create())
		next(nil)
	}()
}
