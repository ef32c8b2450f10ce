package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const sample = `package sample

import "testing"

func TestPasses(t *testing.T) { t.Log("quiet when passing") }

func TestNeedsTool(t *testing.T) { t.Skip("chromium missing (scripts/ci-setup.sh installs it)") }

func TestCases(t *testing.T) {
	t.Run("ok", func(t *testing.T) {})
	t.Run("skipped", func(t *testing.T) { t.Skipf("case %d needs python", 2) })
	t.Run("broken", func(t *testing.T) { t.Log("context line"); t.Error("wrong answer") })
}
`

// testsum on real go test -json output: passing tests stay quiet, a failure
// shows its output and fails the run, every skip is listed with its reason.
func TestSummaryOfRealRun(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{"go.mod": "module sample\n\ngo 1.22\n", "sample_test.go": sample} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "test", "-json", "-count=1", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off")
	out, _ := cmd.Output() // exits 1: a test fails
	var buf bytes.Buffer
	s := newSummary(&buf)
	s.read(bytes.NewReader(out))
	if err := s.report(""); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	t.Logf("output:\n%s", got)
	if !s.failed {
		t.Error("a failing subtest did not fail the summary")
	}
	for _, want := range []string{
		"--- FAIL: TestCases/broken", "context line", "wrong answer", "FAIL\tsample",
		"SKIPPED (2):\n",
		"  sample TestNeedsTool: chromium missing (scripts/ci-setup.sh installs it)\n",
		"  sample TestCases/skipped: case 2 needs python\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	for _, unwanted := range []string{"quiet when passing", "=== RUN"} {
		if strings.Contains(got, unwanted) {
			t.Errorf("output has %q", unwanted)
		}
	}

	file := filepath.Join(t.TempDir(), "skips")
	buf.Reset()
	if err := s.report(file); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(file)
	if strings.Count(string(b), "\n") != 2 || buf.String() != "2 skipped (listed at the end)\n" {
		t.Fatalf("skips file %q, printed %q", b, buf.String())
	}
}
