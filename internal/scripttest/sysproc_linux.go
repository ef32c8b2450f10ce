//go:build linux

package scripttest

import "syscall"

// SysProcAttr puts a child in its own process group (so its whole tree can
// be killed by group id) and has the kernel kill it if the test process
// dies first (a -timeout panic skips every cleanup).
func SysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
