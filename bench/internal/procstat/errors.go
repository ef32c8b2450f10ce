package procstat

import "errors"

// ErrFormat reports a /proc file whose layout was not understood.
var ErrFormat = errors.New("procstat: unexpected /proc format")
