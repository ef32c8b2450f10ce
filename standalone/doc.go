// Package standalone is the sio-fast command's server: configuration
// (defaults < YAML file < SIO_FAST_… environment < flags, on koanf), client
// authentication with JWT, the channel policy (subscribe, unsubscribe,
// presence, publish events), the HTTP publish API for backends, health,
// readiness and the graceful drain.
//
// cmd/sio-fast only wires it: Load the Config, New the Server, Start it,
// Drain on SIGTERM, Reload on SIGHUP. The engine runs on the event loops
// (loop.Serve); the HTTP API, /healthz, /readyz and /metrics run on a
// net/http listener of their own (api.addr), so a slow API client never
// touches a loop.
//
// Goroutines: Load, New and Start run once at start-up; Reload and Drain
// from the signal goroutine; the API handlers on net/http's goroutines;
// the channel event handlers inline on the socket's loop (they never block).
package standalone
