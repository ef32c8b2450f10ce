package load

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// progress draws a bar on stderr every 200 ms until the returned stop is
// called; stat returns the completed fraction and a short figure. Without
// cfg.Progress it only prints the phase name once done.
func (r *runner) progress(label string, stat func() (float64, string)) (stop func()) {
	if !r.cfg.Progress {
		return func() {}
	}
	quit, exited := make(chan struct{}), make(chan struct{})
	draw := func() {
		f, s := stat()
		f = min(max(f, 0), 1)
		n := int(f * 30)
		fmt.Fprintf(os.Stderr, "\r%-18s [%s%s] %3.0f%% %-28s", label,
			strings.Repeat("#", n), strings.Repeat("-", 30-n), f*100, s)
	}
	go func() {
		defer close(exited)
		tk := time.NewTicker(200 * time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-quit:
				draw()
				fmt.Fprintln(os.Stderr)
				return
			case <-tk.C:
				draw()
			}
		}
	}()
	return func() { close(quit); <-exited }
}
