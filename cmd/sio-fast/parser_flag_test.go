package main

import (
	"testing"

	"github.com/sio-fast/sio-fast/socketio/parser/msgpack"
)

// TestParserFlag: -parser json (the default) selects the default format,
// msgpack the msgpack one; anything else is refused.
func TestParserFlag(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		msgpack bool
	}{{nil, false}, {[]string{"-parser", "json"}, false}, {[]string{"-parser", "msgpack"}, true}} {
		f, err := parseFlags(tc.args)
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		codec, err := packetParser(f.parser)
		if _, ok := codec.(msgpack.Parser); err != nil || ok != tc.msgpack || (codec == nil) == tc.msgpack {
			t.Errorf("%v: parser %T (%v)", tc.args, codec, err)
		}
	}
	if _, err := parseFlags([]string{"-parser", "xml"}); err == nil {
		t.Error("-parser xml accepted")
	}
}
