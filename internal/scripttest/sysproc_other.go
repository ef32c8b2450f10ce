//go:build unix && !linux

package scripttest

import "syscall"

// SysProcAttr puts a child in its own process group, so that its whole tree
// can be killed by group id.
func SysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
