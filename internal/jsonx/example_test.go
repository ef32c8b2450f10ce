package jsonx_test

import (
	"encoding/json"
	"fmt"

	"github.com/sio-fast/sio-fast/internal/jsonx"
)

func ExampleAppendMarshal() {
	args := []any{"message-back", "<b>hi</b> & bye", json.RawMessage(`{"3":[true]}`)}
	pkt, err := jsonx.AppendMarshal([]byte("42"), args)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(pkt))
	// Output: 42["message-back","<b>hi</b> & bye",{"3":[true]}]
}
