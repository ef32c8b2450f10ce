package load

import "errors"

// Errors a scenario can end with.
var (
	ErrConnect  = errors.New("load: not every client connected")
	ErrStalled  = errors.New("load: no delivery progress; server stalled")
	ErrScenario = errors.New("load: unknown scenario")
	ErrJoin     = errors.New("load: room joins not acknowledged")
)
