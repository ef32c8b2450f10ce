package parser

import "github.com/sio-fast/sio-fast/internal/jsonx"

// SplitEvent splits an EVENT payload `["name",arg1,arg2,...]` into the event
// name and the argument list, validating the whole array.
//
// name is the decoded string. When the JSON string contains no escape sequence
// it aliases data (no allocation); otherwise it is a fresh copy. A numeric
// event name (Node allows numbers) is returned as its raw JSON text, e.g. "1".
//
// args is the array's interior after the name: the raw, comma-separated
// argument values with surrounding whitespace trimmed (`1,"2",{"3":[true]}`),
// nil when there are none. It aliases data. Iterate it with ForEachArg, or pass
// it whole to AppendEvent/AppendAck to re-emit the same arguments. Reserved
// names are not rejected here (the Decoder does that). Safe from any goroutine.
func SplitEvent(data []byte) (name, args []byte, err error) {
	i := skipWS(data, 0)
	if i >= len(data) || data[i] != '[' {
		return nil, nil, ErrInvalidPayload
	}
	i = skipWS(data, i+1)
	if name, i, err = eventName(data, i); err != nil {
		return nil, nil, err
	}
	i = skipWS(data, i)
	if i < len(data) && data[i] == ']' {
		if skipWS(data, i+1) != len(data) {
			return nil, nil, ErrInvalidJSON
		}
		return name, nil, nil
	}
	if i >= len(data) || data[i] != ',' {
		return nil, nil, ErrInvalidJSON
	}
	start := skipWS(data, i+1)
	end, err := skipList(data, start, ']')
	if err != nil {
		return nil, nil, err
	}
	if skipWS(data, end+1) != len(data) {
		return nil, nil, ErrInvalidJSON
	}
	return name, data[start:trimRight(data, end)], nil
}

// eventName decodes the first element of an event array, starting at data[i].
func eventName(data []byte, i int) (name []byte, next int, err error) {
	if i >= len(data) {
		return nil, i, ErrInvalidJSON
	}
	switch c := data[i]; {
	case c == '"':
		end, esc, err := skipString(data, i)
		if err != nil {
			return nil, end, err
		}
		if !esc {
			return data[i+1 : end-1], end, nil
		}
		var s string
		if err := jsonx.Unmarshal(data[i:end], &s); err != nil {
			return nil, end, ErrInvalidJSON
		}
		return []byte(s), end, nil
	case c == '-' || isDigit(c):
		end, err := skipNumber(data, i)
		return data[i:end], end, err
	}
	return nil, i, ErrInvalidPayload
}

// skipList validates `value (, value)*` starting at b[i] and returns the index
// of the closing byte `closer` that must follow it.
func skipList(b []byte, i int, closer byte) (int, error) {
	for {
		var err error
		if i, err = skipValue(b, i, 1); err != nil {
			return i, err
		}
		i = skipWS(b, i)
		if i >= len(b) {
			return i, ErrInvalidJSON
		}
		switch b[i] {
		case ',':
			i = skipWS(b, i+1)
		case closer:
			return i, nil
		default:
			return i, ErrInvalidJSON
		}
	}
}

func trimRight(b []byte, end int) int {
	for end > 0 && isWS(b[end-1]) {
		end--
	}
	return end
}

// ForEachArg calls fn with the raw JSON of each value of an argument list as
// returned by SplitEvent or ArrayElems (comma-separated values without
// brackets; empty or all-whitespace means no values). Each raw value aliases
// args. It stops at the first error from fn and returns it; malformed JSON
// yields ErrInvalidJSON. It does not allocate. Safe from any goroutine.
func ForEachArg(args []byte, fn func(raw []byte) error) error {
	i := skipWS(args, 0)
	for i < len(args) {
		end, err := skipValue(args, i, 1)
		if err != nil {
			return err
		}
		if err := fn(args[i:end]); err != nil {
			return err
		}
		i = skipWS(args, end)
		if i >= len(args) {
			return nil
		}
		if args[i] != ',' {
			return ErrInvalidJSON
		}
		if i = skipWS(args, i+1); i >= len(args) {
			return ErrInvalidJSON // trailing comma
		}
	}
	return nil
}

// ArrayElems validates the JSON array a (e.g. an ACK payload) and returns its
// interior as an argument list for ForEachArg, AppendEvent and AppendAck; nil
// for an empty array. It aliases a and does not allocate. Safe from any
// goroutine.
func ArrayElems(a []byte) ([]byte, error) {
	start, end, err := trimValue(a)
	if err != nil {
		return nil, err
	}
	if a[start] != '[' {
		return nil, ErrInvalidPayload
	}
	i := skipWS(a, start+1)
	j := trimRight(a, end-1)
	if i >= j {
		return nil, nil
	}
	return a[i:j], nil
}

// ForEachElem calls fn with the raw JSON of each element of the array a; it is
// ArrayElems followed by ForEachArg. Safe from any goroutine.
func ForEachElem(a []byte, fn func(raw []byte) error) error {
	list, err := ArrayElems(a)
	if err != nil {
		return err
	}
	return ForEachArg(list, fn)
}
