package standalone

import (
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/sio-fast/sio-fast/socketio"
)

//go:embed openapi.json
var openAPI []byte

// routes is the API listener's mux: the publish API under /api/ (API key),
// the OpenAPI document, /healthz, /readyz and (when enabled) /metrics.
func (s *Server) routes(cfg *Config) http.Handler {
	mux := http.NewServeMux()
	limit := cfg.API.MaxBody
	mux.Handle("POST /api/emit", s.withKey(limit, s.handleEmit))
	mux.Handle("POST /api/batch", s.withKey(limit, s.handleBatch))
	mux.Handle("GET /api/rooms/{room}", s.withKey(limit, s.handleRoom))
	mux.Handle("POST /api/disconnect", s.withKey(limit, s.handleDisconnect))
	mux.HandleFunc("GET /api/openapi.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(openAPI)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, 200, map[string]string{"status": "ok"}) })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if !s.ready.Load() {
			writeJSON(w, 503, map[string]string{"status": "not ready"})
			return
		}
		writeJSON(w, 200, map[string]string{"status": "ready"})
	})
	if s.metrics != nil {
		mux.Handle("GET /metrics", s.metrics.Handler())
	}
	return mux
}

// apiError is a JSON error answer.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func errorf(status int, format string, args ...any) error {
	return &apiError{status: status, msg: fmt.Sprintf(format, args...)}
}

// withKey checks the API key and the body size, and writes the handler's
// result or error as JSON.
func (s *Server) withKey(limit int64, h func(r *http.Request) (any, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.checkKey(r.Header.Get("Authorization")); err != nil {
			w.Header().Set("WWW-Authenticate", "apikey")
			writeJSON(w, 401, map[string]string{"error": err.Error()})
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		out, err := h(r)
		if err != nil {
			status := 500
			var ae *apiError
			if errors.As(err, &ae) {
				status = ae.status
			}
			writeJSON(w, status, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, 200, out)
	})
}

func (s *Server) checkKey(header string) error {
	keys := s.live.Load().apiKeys
	if len(keys) == 0 {
		return errors.New("publish API disabled: api.keys is empty")
	}
	scheme, key, _ := strings.Cut(header, " ")
	if !strings.EqualFold(scheme, "apikey") || key == "" {
		return errors.New("missing Authorization: apikey <key>")
	}
	for _, k := range keys {
		if subtle.ConstantTimeCompare([]byte(k), []byte(key)) == 1 {
			return nil
		}
	}
	return errors.New("unknown API key")
}

// decode reads one JSON body into v: 413 past the size limit, 400 when
// malformed or with unknown fields.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errorf(413, "body larger than %d bytes", tooBig.Limit)
		}
		return errorf(400, "bad JSON body: %v", err)
	}
	if dec.More() {
		return errorf(400, "bad JSON body: more than one value")
	}
	return nil
}

// EmitRequest is the body of POST /api/emit and an element of POST
// /api/batch.
type EmitRequest struct {
	Namespace string            `json:"namespace"`
	Rooms     []string          `json:"rooms"`
	Except    []string          `json:"except"`
	Event     string            `json:"event"`
	Args      []json.RawMessage `json:"args"`
	Volatile  bool              `json:"volatile"`
}

type emitted struct {
	Recipients int `json:"recipients"`
}

// prepared is a checked emit: the operator and the arguments to send.
type prepared struct {
	op         socketio.BroadcastOperator
	event      string
	args       []any
	recipients int
}

// prepare checks req and resolves its namespace, rooms and arguments.
func (s *Server) prepare(req *EmitRequest) (*prepared, error) {
	nsp, err := s.namespace(req.Namespace)
	if err != nil {
		return nil, err
	}
	if req.Event == "" || reservedEvent(req.Event) {
		return nil, errorf(400, "event %q: empty or reserved", req.Event)
	}
	args := make([]any, len(req.Args))
	for i, raw := range req.Args {
		if args[i], err = argValue(raw); err != nil {
			return nil, errorf(400, "args[%d]: %v", i, err)
		}
	}
	op := nsp.To(req.Rooms...).Except(req.Except...)
	if req.Volatile {
		op = op.Volatile()
	}
	// Counted, not listed: a list of a 10,000-member room cost more CPU
	// than the fan-out it reported on.
	return &prepared{op: op, event: req.Event, args: args, recipients: op.CountLocal()}, nil
}

// argValue is one argument: {"$base64": "..."} becomes binary (an
// attachment), anything else is sent as the JSON given.
func argValue(raw json.RawMessage) (any, error) {
	trimmed := strings.TrimSpace(string(raw))
	if strings.HasPrefix(trimmed, "{") && strings.Contains(trimmed, `"$base64"`) {
		var b struct {
			B64 *string `json:"$base64"`
		}
		dec := json.NewDecoder(strings.NewReader(trimmed))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&b); err == nil && b.B64 != nil {
			data, err := base64.StdEncoding.DecodeString(*b.B64)
			if err != nil {
				return nil, fmt.Errorf("$base64: %v", err)
			}
			return data, nil
		}
	}
	return raw, nil
}

func (s *Server) namespace(name string) (*socketio.Namespace, error) {
	if name == "" {
		name = "/"
	}
	nsp, ok := s.nsps[name]
	if !ok {
		return nil, errorf(404, "unknown namespace %q", name)
	}
	return nsp, nil
}

// emit sends p, timing the hand-off to the recipients' loops.
func (s *Server) emit(p *prepared) error {
	start := time.Now()
	err := p.op.Emit(p.event, p.args...)
	if err == nil {
		s.metrics.Published(p.recipients, time.Since(start))
	}
	return err
}

func (s *Server) handleEmit(r *http.Request) (any, error) {
	var req EmitRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	p, err := s.prepare(&req)
	if err != nil {
		return nil, err
	}
	if err := s.emit(p); err != nil {
		return nil, errorf(400, "emit: %v", err)
	}
	return emitted{Recipients: p.recipients}, nil
}

// handleBatch checks every emit before sending any, then sends them in
// order.
func (s *Server) handleBatch(r *http.Request) (any, error) {
	var reqs []EmitRequest
	if err := decode(r, &reqs); err != nil {
		return nil, err
	}
	ps := make([]*prepared, len(reqs))
	for i := range reqs {
		p, err := s.prepare(&reqs[i])
		if err != nil {
			var ae *apiError
			errors.As(err, &ae)
			return nil, errorf(ae.status, "[%d]: %s", i, ae.msg)
		}
		ps[i] = p
	}
	out := make([]emitted, len(ps))
	for i, p := range ps {
		if err := s.emit(p); err != nil {
			return nil, errorf(400, "[%d]: emit: %v", i, err)
		}
		out[i].Recipients = p.recipients
	}
	return map[string][]emitted{"results": out}, nil
}

type roomInfo struct {
	Namespace string   `json:"namespace"`
	Room      string   `json:"room"`
	Count     int      `json:"count"`
	Members   []string `json:"members"`
}

func (s *Server) handleRoom(r *http.Request) (any, error) {
	nsp, err := s.namespace(r.URL.Query().Get("namespace"))
	if err != nil {
		return nil, err
	}
	room := r.PathValue("room")
	ids := nsp.Adapter().Sockets([]string{room})
	return roomInfo{Namespace: nsp.Name(), Room: room, Count: len(ids), Members: memberNames(nsp, ids)}, nil
}

// DisconnectRequest is the body of POST /api/disconnect: the sockets of
// rooms, or the one socket sid.
type DisconnectRequest struct {
	Namespace string   `json:"namespace"`
	Rooms     []string `json:"rooms"`
	SID       string   `json:"sid"`
	Close     bool     `json:"close"`
}

func (s *Server) handleDisconnect(r *http.Request) (any, error) {
	var req DisconnectRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	nsp, err := s.namespace(req.Namespace)
	if err != nil {
		return nil, err
	}
	if (req.SID == "") == (len(req.Rooms) == 0) {
		return nil, errorf(400, "give rooms or sid, not both or neither")
	}
	if req.SID != "" {
		sock := nsp.Socket(req.SID)
		if sock == nil {
			return nil, errorf(404, "no socket %q in namespace %q", req.SID, nsp.Name())
		}
		sock.Disconnect(req.Close)
		return map[string]int{"disconnected": 1}, nil
	}
	op := nsp.To(req.Rooms...)
	n := op.CountLocal()
	op.DisconnectSockets(req.Close)
	return map[string]int{"disconnected": n}, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
