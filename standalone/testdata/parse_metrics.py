# Parses Prometheus text exposition from stdin with Debian's
# python3-prometheus-client and prints {"name{label=value,...}": value}.
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

out = {}
for family in text_string_to_metric_families(sys.stdin.read()):
    for s in family.samples:
        labels = ",".join("%s=%s" % kv for kv in sorted(s.labels.items()))
        out["%s{%s}" % (s.name, labels)] = s.value
json.dump(out, sys.stdout)
