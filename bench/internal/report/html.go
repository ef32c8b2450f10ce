package report

import (
	"fmt"
	"html"
	"strings"

	"github.com/sio-fast/sio-fast/bench/internal/load"
)

// HTML renders a self-contained page: the Markdown tables as preformatted
// text and, per scenario, one SVG bar chart per headline metric.
func HTML(results []load.Result, title string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html><html><head><meta charset=\"utf-8\"><title>%s</title>"+
		"<style>body{font:14px sans-serif;margin:2em;max-width:1100px}h2{margin-top:2em}"+
		".charts{display:flex;flex-wrap:wrap;gap:12px}pre{background:#f6f6f6;padding:1em;overflow:auto}</style>"+
		"</head><body><h1>%s</h1>\n", html.EscapeString(title), html.EscapeString(title))
	scenarios, by := group(results)
	for _, sc := range scenarios {
		rs := by[sc]
		fmt.Fprintf(&b, "<h2>%s (%d clients%s)</h2><div class=\"charts\">\n",
			html.EscapeString(sc), rs[0].Clients, html.EscapeString(modeNote(rs[0])))
		for _, m := range headline(sc) {
			b.WriteString(barChart(m, rs))
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
		if r.Peer == Baseline {
			color = "#e63"
		}
		fmt.Fprintf(&b, "<text x=\"4\" y=\"%d\">%s</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"+
			"<text x=\"%.1f\" y=\"%d\">%s</text>",
			y+14, html.EscapeString(r.Peer), labelW, y+2, bw, rowH-6, color, float64(labelW)+bw+4, y+14, num(v))
	}
	b.WriteString("</svg>\n")
	return b.String()
}
