#!/usr/bin/env python3
"""The load benchmark's result file (bench/load.sh). Standard library only.

  report.py LINES DURATION RSS_KIB HEAP CASES AUTHS CONNECTIONS FLOOR
                                          the result file (JSON) on stdout, from the runs' lines
                                          and the configuration (space-separated lists; FLOOR 1
                                          when each connection count has its two floor runs)
  report.py --table FILE                  a Markdown table of a result file
  report.py --line JSON                   one run as one line of text
  report.py --check FILE                  fails unless every configured run is there, once, and
                                          every run answered and had no errors
"""
import json
import os
import platform
import statistics
import subprocess
import sys


def machine():
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                  if line.startswith("model name")), "?")
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
    return {"cpus": os.cpu_count(), "cpu_model": model, "kernel": platform.release(),
            "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
            "java": java.splitlines()[0] if java else "?"}


def build(lines, duration, rss_kib, heap, cases, auths, connections, with_floor):
    runs = [json.loads(line) for line in open(lines) if line.strip()]
    floors = {}
    for run in runs:
        if run["case"] == "Floor":
            floors.setdefault(run["connections"], []).append(run["requests_per_s"])
    for run in runs:
        floor = statistics.mean(floors.get(run["connections"], [0])) or None
        run["floor_ratio"] = round(run["requests_per_s"] / floor, 3) if floor else None
    configured = {"cases": cases.split(), "auths": auths.split(),
                  "connections": [int(c) for c in connections.split()], "floor": with_floor == "1"}
    return {"duration_per_run": duration, "configured": configured, "machine": machine(),
            "floor_requests_per_s": {str(c): round(statistics.mean(v), 1)
                                     for c, v in floors.items()},
            "server_rss_mib_at_end": round(int(rss_kib or 0) / 1024, 1),
            "server_heap_at_end": heap, "runs": runs}


def table(result):
    print("| case | auth | conns | req/s | p50 ms | p99 ms | p99.9 ms | server CPU µs/req "
          "| PG CPU µs/req | floor ratio | load avg |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in result["runs"]:
        lat = r["latency_ms"]
        print(f"| {r['case']} | {r['auth']} | {r['connections']} | {r['requests_per_s']:.0f} "
              f"| {lat['p50']} | {lat['p99']} | {lat['p99_9']} | "
              f"{r['server_cpu_us_per_request']} | {r['postgres_cpu_us_per_request']} | "
              f"{r['floor_ratio']} | {r['load_average']} |")
    print(f"\nRSS at end {result['server_rss_mib_at_end']} MiB; heap: "
          f"{result['server_heap_at_end']}")


def expected_runs(configured):
    """Every (case, auth, connections) the configuration asks for, with its count."""
    expected = {}
    for conns in configured["connections"]:
        if configured["floor"]:
            expected[("Floor", "none", conns)] = 2  # before and after the cases
        for case in configured["cases"]:
            for auth in configured["auths"]:
                expected[(case, auth, conns)] = 1
    return expected


def check(result):
    problems = []
    if not result["runs"] or not any(r["case"] == "Floor" for r in result["runs"]):
        problems.append("no runs, or no floor run")
    configured = result.get("configured")
    if not configured or not configured["cases"] or not configured["auths"] \
            or not configured["connections"]:
        problems.append("no configuration of cases, authentications and connections recorded")
    else:
        ran = {}
        for r in result["runs"]:
            key = (r["case"], r["auth"], r["connections"])
            ran[key] = ran.get(key, 0) + 1
        for key, n in sorted(expected_runs(configured).items(), key=str):
            if ran.get(key, 0) != n:
                problems.append("%s/%s/%d: %d runs, configured %d" % (key + (ran.get(key, 0), n)))
        for key in sorted(set(ran) - set(expected_runs(configured)), key=str):
            problems.append("%s/%s/%d: ran, but not configured" % key)
    for r in result["runs"]:
        if r["requests"] <= 0 or r["requests_per_s"] <= 0:
            problems.append(f"{r['case']}/{r['auth']}/{r['connections']}: no requests")
        if r["errors"]:
            problems.append(f"{r['case']}/{r['auth']}/{r['connections']}: {r['errors']} errors")
        for key in ("p50", "p99", "p99_9"):
            if key not in r["latency_ms"]:
                problems.append(f"{r['case']}: no {key}")
    if problems:
        sys.exit("report.py: " + "; ".join(problems))
    print(f"report.py: {len(result['runs'])} runs, every configured one, all answered, no errors")


def line(r):
    lat = r["latency_ms"]
    print(f"bench: {r['case']:<15} {r['auth']:<5} c={r['connections']:<2} "
          f"{r['requests_per_s']:>8} req/s  p50 {lat['p50']} p99 {lat['p99']} ms  "
          f"cpu {r['server_cpu_us_per_request']} us/req  errors {r['errors']}  "
          f"load {r['load_average']}")


def main():
    if sys.argv[1] == "--line":
        line(json.loads(sys.argv[2]))
    elif sys.argv[1] in ("--table", "--check"):
        result = json.load(open(sys.argv[2]))
        table(result) if sys.argv[1] == "--table" else check(result)
    else:
        json.dump(build(*sys.argv[1:9]), sys.stdout, indent=1)
        print()


if __name__ == "__main__":
    main()
