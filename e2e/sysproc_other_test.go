//go:build unix && !linux

package e2e

import "syscall"

// sysProcAttr puts a child in its own process group, so that its whole tree
// can be killed by group id.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
