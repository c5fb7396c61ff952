#!/usr/bin/env python3
"""Scenario 9 (docs/self-hosting.md, "Metrics"): parses a server's /q/metrics with
prometheus_client's parsers — the OpenMetrics answer (what Quarkus sends by default) with the
OpenMetrics parser, the Prometheus text format 0.0.4 answer (Accept: text/plain) with the text
parser — and checks that the request counters of both equal the audit trail's events of the same
process, by action and error code.

  metrics-vs-audit.py OPENMETRICS_FILE TEXT_FILE AUDIT_COUNTS_FILE
AUDIT_COUNTS_FILE: lines "event_name|error_code|count" (psql -At), error_code empty for success.
Exits 0 when equal and non-trivial (at least 100 requests), 1 otherwise; prints both tables.
"""
import sys
from collections import Counter

from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_openmetrics
from prometheus_client.parser import text_string_to_metric_families as parse_text


def metric_counts(families):
    counts = Counter()
    samples = [s for f in families for s in f.samples]
    names = {s.name for s in samples}
    for name in ("kms_request_duration_seconds_bucket", "kms_audit_batch_size_events_bucket",
                 "kms_keys", "kms_audit_queue_depth", "kms_db_pool_connections"):
        if name not in names:
            raise SystemExit(f"no {name} sample in the exposition")
    for sample in samples:
        if sample.name != "kms_requests_total":
            continue
        labels = sample.labels
        code = "" if labels["error_code"] == "none" else labels["error_code"]
        counts[(labels["action"], code)] += int(sample.value)
    return counts


def audit_counts(path):
    counts = Counter()
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                name, code, n = line.split("|")
                counts[(name, code)] += int(n)
    return counts


def main():
    with open(sys.argv[1]) as f:
        metrics = metric_counts(parse_openmetrics(f.read()))
    with open(sys.argv[2]) as f:
        text = metric_counts(parse_text(f.read()))
    if text != metrics:
        print(f"FAILED: the OpenMetrics and text expositions differ: {metrics} vs {text}")
        return 1
    audit = audit_counts(sys.argv[3])
    metrics = Counter({k: v for k, v in metrics.items() if v > 0})
    keys = sorted(set(metrics) | set(audit))
    print(f"{'action':<24} {'error code':<32} {'metrics':>8} {'audit':>8}")
    for k in keys:
        mark = "" if metrics[k] == audit[k] else "   <-- differs"
        print(f"{k[0]:<24} {k[1] or '-':<32} {metrics[k]:>8} {audit[k]:>8}{mark}")
    total = sum(metrics.values())
    print(f"total: metrics {total}, audit {sum(audit.values())}")
    if metrics != audit:
        print("FAILED: the request counters differ from the audit trail")
        return 1
    if total < 100:
        print("FAILED: fewer than 100 requests counted: the run proves nothing")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
