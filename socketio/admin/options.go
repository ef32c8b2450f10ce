package admin

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// Mode selects how much the server reports (Node's mode option).
type Mode string

const (
	// Development reports every socket, room change and event (the
	// default, as in Node when NODE_ENV is unset).
	Development Mode = "development"
	// Production reports server stats only: cheaper for a busy server.
	Production Mode = "production"
)

// BasicAuth is the UI's login: the username and a bcrypt hash of the
// password (e.g. from `htpasswd -bnBC 10 "" secret | tr -d ':\n'`, or
// bcrypt.GenerateFromPassword), never the password itself.
type BasicAuth struct {
	Username     string
	PasswordHash string
}

// Options configure Instrument (Node's instrument options).
type Options struct {
	// Auth is the UI's login; nil turns authentication off (Node's
	// auth: false): anyone who reaches the server can then see and act.
	Auth *BasicAuth
	// Mode is Development (default) or Production.
	Mode Mode
	// ReadOnly turns off the UI's actions (emit, join, leave, disconnect).
	ReadOnly bool
	// NamespaceName is the admin namespace (default "/admin").
	NamespaceName string
	// ServerID names this server in the UI (default: the hostname).
	ServerID string
}

// ErrInvalidHash is returned by Instrument when Auth.PasswordHash is not a
// bcrypt hash (Node: "the `password` field must be a valid bcrypt hash").
var ErrInvalidHash = errors.New("admin: the password hash must be a valid bcrypt hash")

// withDefaults validates o and fills its defaults.
func (o Options) withDefaults() (Options, error) {
	if o.Auth != nil {
		if _, err := bcrypt.Cost([]byte(o.Auth.PasswordHash)); err != nil {
			return o, fmt.Errorf("%w: %v", ErrInvalidHash, err)
		}
	}
	switch o.Mode {
	case "":
		o.Mode = Development
	case Development, Production:
	default:
		return o, fmt.Errorf("admin: unknown mode %q (development or production)", o.Mode)
	}
	if o.NamespaceName == "" {
		o.NamespaceName = "/admin"
	}
	if !strings.HasPrefix(o.NamespaceName, "/") {
		o.NamespaceName = "/" + o.NamespaceName
	}
	if o.ServerID == "" {
		o.ServerID, _ = os.Hostname()
	}
	return o, nil
}

// features lists what the UI may offer (Node's supportedFeatures).
func (o Options) features() []string {
	var f []string
	if !o.ReadOnly {
		f = append(f, "EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT")
	}
	f = append(f, "AGGREGATED_EVENTS")
	if o.Mode == Development {
		f = append(f, "ALL_EVENTS")
	}
	return f
}
