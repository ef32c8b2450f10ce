package redisstreams

import (
	"strconv"
	"strings"
)

// streamID is a stream entry id <ms>-<seq>.
type streamID struct{ ms, seq uint64 }

// parseID parses an entry id; ok is false unless s matches ^\d+-\d+$ (the
// offsets Node accepts).
func parseID(s string) (id streamID, ok bool) {
	ms, seq, found := strings.Cut(s, "-")
	if !found || !digits(ms) || !digits(seq) {
		return id, false
	}
	var err1, err2 error
	id.ms, err1 = strconv.ParseUint(ms, 10, 64)
	id.seq, err2 = strconv.ParseUint(seq, 10, 64)
	return id, err1 == nil && err2 == nil
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func (id streamID) less(o streamID) bool {
	return id.ms < o.ms || id.ms == o.ms && id.seq < o.seq
}

func (id streamID) String() string {
	return strconv.FormatUint(id.ms, 10) + "-" + strconv.FormatUint(id.seq, 10)
}
