// Command testsum runs a `go test -json` command and prints what plain
// `go test` would (each package's ok or FAIL line, the output of failing
// tests, build errors), then lists the tests that were skipped and why, so
// that a test skipped for a missing tool is not one buried line among
// hundreds. make race and make alloc run through it:
//
//	go run ./scripts/testsum [-skips FILE] -- go test -json -race ./...
//
// With -skips, the skipped tests are appended to FILE ("pkg Test: reason"
// lines) for the summary that ends make test (scripts/skip-summary.sh), and
// only their number is printed here. The exit status is 1 when the command
// fails or any test fails, whatever its output looked like.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
)

func main() {
	skips := flag.String("skips", "", "append the skipped tests to this `file` instead of listing them")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: testsum [-skips FILE] -- go test -json ...")
		os.Exit(2)
	}
	cmd := exec.Command(flag.Arg(0), flag.Args()[1:]...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsum:", err)
		os.Exit(2)
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "testsum:", err)
		os.Exit(2)
	}
	s := newSummary(os.Stdout)
	s.read(out)
	werr := cmd.Wait()
	if err := s.report(*skips); err != nil {
		fmt.Fprintln(os.Stderr, "testsum:", err)
		os.Exit(2)
	}
	if werr != nil || s.failed {
		os.Exit(1)
	}
}

// event is one line of test2json output.
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

type summary struct {
	w       io.Writer
	pending map[string][]string // output of running tests, by package and name
	skipped []string            // "pkg Test: reason"
	failed  bool
}

func newSummary(w io.Writer) *summary {
	return &summary{w: w, pending: map[string][]string{}}
}

// read consumes the command's output until EOF.
func (s *summary) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil || e.Action == "" {
			fmt.Fprintln(s.w, sc.Text()) // not an event: pass it on
			continue
		}
		s.event(e)
	}
}

func (s *summary) event(e event) {
	key := e.Package + " " + e.Test
	switch {
	case e.Action == "output" && e.Test == "":
		if !isHeader(e.Output) {
			fmt.Fprint(s.w, e.Output)
		}
	case e.Action == "build-output":
		fmt.Fprint(s.w, e.Output)
	case e.Action == "output":
		s.pending[key] = append(s.pending[key], e.Output)
	case e.Action == "fail" || e.Action == "build-fail":
		s.failed = true
		for _, line := range s.pending[key] {
			if !isProgress(line) {
				fmt.Fprint(s.w, line)
			}
		}
		delete(s.pending, key)
	case e.Action == "skip" && e.Test != "":
		s.skipped = append(s.skipped, shortPkg(e.Package)+" "+e.Test+": "+skipReason(s.pending[key]))
		delete(s.pending, key)
	case e.Action == "pass":
		delete(s.pending, key)
	}
}

// isHeader reports the package lines plain go test does not print (-json
// implies -v): "PASS" (the ok line follows), the no-tests warning (the ok
// line says so) and the benchmark header.
func isHeader(line string) bool {
	for _, p := range []string{"PASS\n", "testing: warning: no tests to run\n", "goos: ", "goarch: ", "pkg: ", "cpu: "} {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return false
}

// isProgress reports the lines plain go test leaves out.
func isProgress(line string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, "=== RUN") || strings.HasPrefix(t, "=== PAUSE") || strings.HasPrefix(t, "=== CONT") || strings.HasPrefix(t, "=== NAME")
}

// skipReason is what the test logged before skipping, on one line.
func skipReason(lines []string) string {
	var parts []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || isProgress(t) || strings.HasPrefix(t, "--- SKIP") {
			continue
		}
		// Drop the "file_test.go:12: " that t.Skip and t.Log put first.
		if i := strings.Index(t, ".go:"); i > 0 && !strings.Contains(t[:i], " ") {
			if _, rest, ok := strings.Cut(t[i:], ": "); ok {
				t = rest
			}
		}
		parts = append(parts, t)
	}
	if len(parts) == 0 {
		return "(no reason given)"
	}
	return strings.Join(parts, " / ")
}

func shortPkg(p string) string {
	return strings.TrimPrefix(p, "github.com/sio-fast/sio-fast/")
}

// report lists the skipped tests, or appends them to file.
func (s *summary) report(file string) error {
	if len(s.skipped) == 0 {
		return nil
	}
	if file == "" {
		fmt.Fprintf(s.w, "SKIPPED (%d):\n", len(s.skipped))
		for _, l := range s.skipped {
			fmt.Fprintln(s.w, "  "+l)
		}
		return nil
	}
	f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	for _, l := range s.skipped {
		fmt.Fprintln(f, l)
	}
	fmt.Fprintf(s.w, "%d skipped (listed at the end)\n", len(s.skipped))
	return f.Close()
}
