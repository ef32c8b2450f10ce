package procstat

import (
	"bytes"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// clockTick is USER_HZ, which Linux fixes at 100 for /proc/PID/stat.
const clockTick = 100

// Sample is one reading of a process.
type Sample struct {
	RSSKiB int64         // VmRSS from /proc/PID/status
	PSSKiB int64         // Pss from /proc/PID/smaps_rollup (0 if unreadable)
	CPU    time.Duration // utime+stime from /proc/PID/stat
	At     time.Time
}

// Read samples process pid. PSS is best-effort: smaps_rollup may be absent or
// unreadable, in which case PSSKiB is 0 and no error is returned.
func Read(pid int) (Sample, error) {
	s := Sample{At: time.Now()}
	base := "/proc/" + strconv.Itoa(pid)
	st, err := os.ReadFile(base + "/status")
	if err != nil {
		return s, err
	}
	if s.RSSKiB, err = field(st, "VmRSS:"); err != nil {
		return s, err
	}
	if sm, err := os.ReadFile(base + "/smaps_rollup"); err == nil {
		s.PSSKiB, _ = field(sm, "Pss:")
	}
	stat, err := os.ReadFile(base + "/stat")
	if err != nil {
		return s, err
	}
	s.CPU, err = cpuFromStat(stat)
	return s, err
}

// field returns the integer after key in a "Key:   123 kB" line.
func field(b []byte, key string) (int64, error) {
	i := bytes.Index(b, []byte("\n"+key))
	if i < 0 {
		if !bytes.HasPrefix(b, []byte(key)) {
			return 0, ErrFormat
		}
	} else {
		b = b[i+1:]
	}
	b = bytes.TrimLeft(b[len(key):], " \t")
	j := bytes.IndexAny(b, " \n")
	if j < 0 {
		return 0, ErrFormat
	}
	return strconv.ParseInt(string(b[:j]), 10, 64)
}

// cpuFromStat parses utime (field 14) and stime (field 15) from
// /proc/PID/stat. The command name (field 2) may hold spaces, so fields are
// counted after its closing parenthesis.
func cpuFromStat(b []byte) (time.Duration, error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, ErrFormat
	}
	f := bytes.Fields(b[i+1:])
	// f[0] is field 3 (state): utime is field 14 -> f[11], stime f[12].
	if len(f) < 13 {
		return 0, ErrFormat
	}
	ut, err1 := strconv.ParseInt(string(f[11]), 10, 64)
	stt, err2 := strconv.ParseInt(string(f[12]), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, ErrFormat
	}
	return time.Duration(ut+stt) * time.Second / clockTick, nil
}

// SelfCPU returns this process's user+system CPU time from getrusage.
func SelfCPU() time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
