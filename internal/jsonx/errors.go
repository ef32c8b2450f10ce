package jsonx

import "errors"

// errTrailing is returned by the encoding/json backend when data follows the
// first JSON value (sonic reports its own syntax error for the same input).
var errTrailing = errors.New("jsonx: invalid character after top-level value")
