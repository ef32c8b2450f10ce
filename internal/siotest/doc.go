// Package siotest is a bare Socket.IO v4 client over WebSocket (gobwas/ws)
// for Go tests that check packets as text: the cluster adapters' tests
// drive their nodes with it. Test code only.
package siotest
