"""What bench/load.py counts while it runs, and the report it prints at the end.

Latency is measured from writing the request to having the whole response. A request
that timed out or lost its connection counts in the percentiles at the time it was
given up on: leaving it out would flatter p99 exactly when it matters.
"""

from collections import Counter, defaultdict

import _support as support
from _load_http import ConnectionLost

BUCKET_S = 10  # timeline resolution
KEEP_EXAMPLES = 20


def percentile(ordered, share):
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def ms(seconds):
    return None if seconds is None else round(seconds * 1000, 1)


class Recorder:
    def __init__(self, order):
        self.order = list(order)
        self.latency = defaultdict(list)
        self.status = defaultdict(Counter)
        self.cache = defaultdict(Counter)
        self.by_cache_state = defaultdict(list)  # HIT / MISS / STALE / BYPASS -> latencies
        self.server_errors = []  # every 5xx, with the start of its body
        self.failures = []  # examples of timeouts and broken connections
        self.buckets = defaultdict(lambda: {"n": 0, "5xx": 0, "failed": 0, "states": Counter(), "latency": []})
        self.memory = []
        self.t0 = 0.0

    def start(self, t0):
        self.t0 = t0

    def _bucket(self, ended):
        return self.buckets[int((ended - self.t0) // BUCKET_S)]

    def record(self, kind, method, path, started, ended, response):
        elapsed = ended - started
        status = response.status
        self.latency[kind].append(elapsed)
        self.status[kind][status] += 1
        state = response.headers.get("x-khabar-cache")
        if state:
            self.cache[kind][state] += 1
            self.by_cache_state[state].append(elapsed)
        bucket = self._bucket(ended)
        bucket["n"] += 1
        bucket["latency"].append(elapsed)
        if state:
            bucket["states"][state] += 1
        if status >= 500:
            bucket["5xx"] += 1
            self.server_errors.append({"t_s": round(ended - self.t0, 2), "kind": kind, "method": method, "path": path,
                                       "status": status, "body": response.body[:500].decode(errors="replace")})

    def failure(self, kind, method, path, started, ended, error):
        if isinstance(error, TimeoutError):
            label = "timeout"
        elif isinstance(error, (ConnectionLost, OSError)):
            label = "connection error"
        else:
            label = f"client error ({type(error).__name__})"
        self.latency[kind].append(ended - started)
        self.status[kind][label] += 1
        bucket = self._bucket(ended)
        bucket["n"] += 1
        bucket["failed"] += 1
        bucket["latency"].append(ended - started)
        if len(self.failures) < KEEP_EXAMPLES:
            self.failures.append({"t_s": round(ended - self.t0, 2), "kind": kind, "method": method, "path": path,
                                  "error": f"{label}: {error!r}"})

    def summary(self, wall):
        kinds = [k for k in self.order if k in self.latency] + [k for k in self.latency if k not in self.order]
        by_kind = {}
        everything = []
        for kind in kinds:
            lat = sorted(self.latency[kind])
            everything.extend(lat)
            by_kind[kind] = self._figures(lat, self.status[kind], wall, self.cache[kind])
        total_status = sum((self.status[k] for k in kinds), Counter())
        total_cache = sum((self.cache[k] for k in kinds), Counter())
        everything.sort()
        return {
            "wall_s": round(wall, 1),
            "by_kind": by_kind,
            "total": self._figures(everything, total_status, wall, total_cache),
            "by_cache_state": {state: self._figures(sorted(lat), Counter(), wall, Counter())
                               for state, lat in sorted(self.by_cache_state.items())},
            "server_errors": self.server_errors,
            "failure_examples": self.failures,
        }

    @staticmethod
    def _figures(ordered, statuses, wall, cache):
        n = len(ordered)
        return {
            "requests": n, "req_s": round(n / wall, 1) if wall else None,
            "p50_ms": ms(percentile(ordered, 0.50)), "p95_ms": ms(percentile(ordered, 0.95)),
            "p99_ms": ms(percentile(ordered, 0.99)), "max_ms": ms(ordered[-1] if ordered else None),
            "status": {str(k): v for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0]))},
            "5xx": sum(v for k, v in statuses.items() if isinstance(k, int) and k >= 500),
            "failed": sum(v for k, v in statuses.items() if not isinstance(k, int)),
            "cache": dict(cache),
        }

    def steady(self, wall, warmup_s):
        """Figures for the requests that ended after ``warmup_s``: the run once the caches are warm."""
        lat = sorted(x for index, b in self.buckets.items() if index * BUCKET_S >= warmup_s for x in b["latency"])
        if not lat or wall <= warmup_s:
            return None
        return {"from_s": warmup_s, "requests": len(lat), "req_s": round(len(lat) / (wall - warmup_s), 1),
                "p50_ms": ms(percentile(lat, 0.50)), "p95_ms": ms(percentile(lat, 0.95)),
                "p99_ms": ms(percentile(lat, 0.99))}

    def timeline(self, wall):
        rows = []
        for index in sorted(self.buckets):
            b = self.buckets[index]
            lat = sorted(b["latency"])
            span = max(min(BUCKET_S, wall - index * BUCKET_S), 0.001)
            rows.append({"from_s": index * BUCKET_S, "req_s": round(b["n"] / span, 1), "p50_ms": ms(percentile(lat, 0.5)),
                         "p99_ms": ms(percentile(lat, 0.99)), "5xx": b["5xx"], "failed": b["failed"],
                         **{f"{state.lower()}_pct": round(100 * b["states"][state] / b["n"], 1) if b["n"] else None
                            for state in ("HIT", "MISS", "STALE")}})
        return rows


def _status_text(status):
    return " ".join(f"{k}:{v}" for k, v in status.items())


def _cache_text(cache):
    total = sum(cache.values())
    if not total:
        return ""
    return " ".join(f"{k} {100 * v / total:.0f}%" for k, v in sorted(cache.items(), key=lambda kv: -kv[1]))


def render_report(result):
    """Print the tables; return True when every check passed."""
    req = result["requests"]
    rows = [[kind, f["requests"], f["req_s"], f["p50_ms"], f["p95_ms"], f["p99_ms"], f["max_ms"], f["5xx"],
             f["failed"], _status_text(f["status"]), _cache_text(f["cache"])]
            for kind, f in [*req["by_kind"].items(), ("ALL", req["total"])]]
    states = [[state, f["requests"], f["p50_ms"], f["p95_ms"], f["p99_ms"], f["max_ms"]]
              for state, f in req["by_cache_state"].items()]
    s = result["settings"]
    print(f"\nload: {s['duration']:.0f} s, {s['connections']} connections, {result['site']['articles']:,} articles, "
          f"{req['wall_s']} s measured")
    print(support.render_table(["kind", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "5xx", "failed",
                                "status codes", "X-Khabar-Cache"], rows, align="lrrrrrrrrll"))
    print("\nover time (all requests; hit/miss/stale: share of all requests answered so by the page cache):")
    print(support.render_table(
        ["from s", "req/s", "p50 ms", "p99 ms", "hit %", "miss %", "stale %", "5xx", "failed"],
        [[t["from_s"], t["req_s"], t["p50_ms"], t["p99_ms"], t["hit_pct"], t["miss_pct"], t["stale_pct"], t["5xx"],
          t["failed"]] for t in result["timeline"]]))
    print("\nthe same requests by page-cache answer (a HIT waits for a free thread like any other request):")
    print(support.render_table(["X-Khabar-Cache", "requests", "p50 ms", "p95 ms", "p99 ms", "max ms"], states))

    db = result["database"]
    c, n = db["comments"], db["subscriptions"]
    print()
    print(support.render_table(
        ["writes", "posted", "accepted", "refused 429", "other answers", "unanswered", "found in DB", "missing"],
        [["comments", c["posted"], f"{c['accepted']} ({c['accepted_approved']} published at once)", c["refused_429"],
          _status_text(c["other"]) or "-", c["unanswered"], c["found_in_db"], c["missing_count"]],
         ["subscriptions", n["posted"], f"{n['accepted']} ({n['accepted_addresses']} addresses)", n["refused_429"], _status_text(n["other"]) or "-",
          n["unanswered"], n["found_in_db"], n["missing_count"]]],
        align="lrrrlrrr"))

    print()
    print(support.render_table(["process", "pid", "RSS MiB at end", "peak RSS MiB"],
                               [[m["role"], m["pid"], m["rss_mib"], m["peak_rss_mib"]] for m in result["memory"]],
                               align="lrrr"))
    print("\nCPU, % of one core over the run: "
          + ", ".join(f"{k} {v}" for k, v in result["cpu_pct_of_one_core"].items()))
    if c["status_mismatch"]:
        print(f"comments answered 'approved' but not saved approved (or the reverse): {c['status_mismatch'][:10]}")
    if c["saved_but_not_acknowledged"]:
        print(f"{c['saved_but_not_acknowledged']} comments are in the database although their POST got no 303 "
              f"({c['unanswered_saved']} of them timed out)")
    log = result["server_log"]
    print(f"server log: {log['tracebacks']} tracebacks, {log['database_is_locked']} 'database is locked', "
          f"{log['error_lines']} error lines; tasks by status: {db['tasks_by_status']}")
    for item in log["distinct"][:5]:
        print(f"  {item['count']} × {item['last_line']}")
    if req["server_errors"]:
        print("5xx responses (first 10):")
        for error in req["server_errors"][:10]:
            print(f"  t={error['t_s']} s {error['method']} {error['path']} → {error['status']}")

    checks = {
        "zero 5xx": req["total"]["5xx"] == 0,
        "every accepted comment is in the database": c["missing_count"] == 0,
        "every accepted subscription is in the database": n["missing_count"] == 0,
        "no traceback in the server log": log["tracebacks"] == 0,
    }
    result["checks"] = checks
    print()
    for name, passed in checks.items():
        print(f"{'PASS' if passed else 'FAIL'}  {name}")
    failed = req["total"]["failed"]
    result["warnings"] = []
    if failed:
        result["warnings"].append(f"{failed} requests got no answer within {result['settings']['timeout']} s "
                                  "(timeouts or broken connections): readers who gave up; see the timeline")
    if not result.get("quiet_before", {}).get("quiet", True):
        result["warnings"].append("the machine was not quiet before the run (other processes used "
                                  f"{result['quiet_before'].get('other_cpu_pct')} % CPU)")
    if result.get("wrk_seen_during_run_at_s"):
        result["warnings"].append("another wrk ran during the run (seen at s "
                                  f"{result['wrk_seen_during_run_at_s'][:12]}): the figures are disturbed")
    for warning in result["warnings"]:
        print(f"WARN  {warning}")
    print(f"p99 over all requests: {req['total']['p99_ms']} ms; {req['total']['req_s']} req/s")
    if req.get("steady"):
        st = req["steady"]
        print(f"after the first {st['from_s']} s (warm caches): p50 {st['p50_ms']} ms, p99 {st['p99_ms']} ms, "
              f"{st['req_s']} req/s")
    return all(checks.values())
