package report

import (
	"fmt"
	"html"
	"strings"

	"github.com/sio-fast/sio-fast/bench/internal/load"
)

// HTML renders a self-contained page: the targets, then per table of the
// Markdown report one SVG bar chart per headline metric, then the Markdown
// tables as preformatted text.
func HTML(results []load.Result, title string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html><html><head><meta charset=\"utf-8\"><title>%s</title>"+
		"<style>body{font:14px sans-serif;margin:2em;max-width:1100px}h2{margin-top:2em}"+
		".charts{display:flex;flex-wrap:wrap;gap:12px}pre{background:#f6f6f6;padding:1em;overflow:auto}</style>"+
		"</head><body><h1>%s</h1>\n", html.EscapeString(title), html.EscapeString(title))
	if t := Targets(results); t != "" {
		fmt.Fprintf(&b, "<pre>%s</pre>\n", html.EscapeString(t))
	}
	keys, by := group(results)
	for _, k := range keys {
		rs := by[k]
		fmt.Fprintf(&b, "<h2>%s</h2>", html.EscapeString(heading(k, rs)))
		if f, ok := find(rs, Floor); ok && f.WriteLoop != nil && f.WriteLoop.Broadcasts > 0 {
			fmt.Fprintf(&b, "<p>%s</p>", html.EscapeString(loopLine(f.WriteLoop)))
		}
		b.WriteString("<div class=\"charts\">\n")
		for _, m := range metrics(k) {
			if m.Name != "lost" {
				b.WriteString(barChart(m, rs))
			}
		}
		b.WriteString("</div>\n")
	}
	fmt.Fprintf(&b, "<h2>Tables</h2><pre>%s</pre></body></html>\n", html.EscapeString(Markdown(results, "")))
	return b.String()
}

// barChart draws one horizontal bar per peer, sio-fast highlighted.
func barChart(m metric, rs []load.Result) string {
	const w, rowH, labelW = 340, 22, 90
	h := 30 + rowH*len(rs)
	peak := 0.0
	for _, r := range rs {
		peak = max(peak, m.Get(r))
	}
	var b strings.Builder
	better := "lower is better"
	if m.Higher {
		better = "higher is better"
	}
	fmt.Fprintf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">"+
		"<text x=\"4\" y=\"16\" font-weight=\"bold\">%s</text><text x=\"%d\" y=\"16\" fill=\"#888\" font-size=\"11\">%s</text>",
		w, h, html.EscapeString(colName(m)), w-100, better)
	for i, r := range rs {
		v := m.Get(r)
		y := 26 + i*rowH
		bw := 0.0
		if peak > 0 {
			bw = v / peak * float64(w-labelW-70)
		}
		color := "#8aa"
		switch r.Peer {
		case Baseline:
			color = "#e63"
		case Floor, FloorBatch:
			color = "#666"
		}
		fmt.Fprintf(&b, "<text x=\"4\" y=\"%d\">%s</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"+
			"<text x=\"%.1f\" y=\"%d\">%s</text>",
			y+14, html.EscapeString(r.Peer), labelW, y+2, bw, rowH-6, color, float64(labelW)+bw+4, y+14, num(v))
	}
	b.WriteString("</svg>\n")
	return b.String()
}
