"""The tables bench/pages.py prints from its result record (also usable on a saved JSON file).

    .venv/bin/python bench/_pages_report.py bench/results/pages-<timestamp>.json
"""

import json
import sys

import _support as support

PAGES = ("article", "home", "section")


def summarise(sample):
    parts = []
    for key in ("khabar", "front"):
        if sample.get(key):
            parts.append(f"{key} " + " ".join(f"{k}×{v}" for k, v in sorted(sample[key].items())))
    return "; ".join(parts)


def fmt_rps(x):
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}"


def fmt_ratio(x):
    return "-" if x is None else f"{x:.3f}" if x >= 0.1 else f"{x:.2g}"


def fmt_ms(x):
    return f"{x:.2f}" if x < 10 else f"{x:.1f}" if x < 100 else f"{x:.0f}"


# The front's rows, and nginx static serving the same response after it, headers included
# (bench/pages.py front_phase): not a floor for the other rows, which nginx static serves bare.
FRONT, BESIDE_FRONT = "khabar behind front", "nginx static + headers (beside the front)"


def find(rows, server, page):
    return next((r for r in rows if r["server"] == server and r["page"] == page), None)


def best_static(rows, page, wordpress=False):
    """The nginx static row for a page: the faster of its passes (another tenant's load only ever slows it)."""
    names = ("nginx static (WP HTML)",) if wordpress else ("nginx static", "nginx static (again)")
    return fastest(rows, names, page)


def fastest(rows, names, page):
    passes = [r for r in rows if r["server"] in names and r["page"] == page]
    return max(passes, key=lambda r: r["c32"]["requests_per_s"], default=None)


def static_for(rows, row):
    """The nginx static row a row is compared to: the same page's HTML, rendered by the same kind of server."""
    return best_static(rows, row["page"], wordpress=row["server"].startswith(("WordPress", "nginx static (WP")))


def print_report(result):
    s, m, rows = result["settings"], result["machine"], result["rows"]
    print()
    print(f"khabar pages: {s['articles']:,} corpus articles on SQLite (embedded default); "
          f"wrk -t{s['threads']} -c{s['connections']} -d{s['duration']:g}s and -t1 -c1 -d{s['c1_duration']:g}s "
          f"on 127.0.0.1; nproc {m['nproc']}, Python {m['python']}, load at start {m.get('load_average_at_start')}")
    table = []
    for r in rows:
        static = static_for(rows, r)
        ratio = r["c32"]["requests_per_s"] / static["c32"]["requests_per_s"] if static else None
        cpu = r["c32"].get("server_cpu_ms_per_request")
        quiet = "yes" if r["quiet_c32"]["quiet"] and r["quiet_c1"]["quiet"] else \
            f"no ({max(r['quiet_c32']['other_cpu_pct'], r['quiet_c1']['other_cpu_pct']):.0f} %)"
        table.append([
            r["server"], r["page"], fmt_rps(r["c32"]["requests_per_s"]),
            "1" if r["server"].startswith("nginx static") else fmt_ratio(ratio),
            fmt_ms(r["c1"]["p50_ms"]), fmt_ms(r["c1"]["p99_ms"]), f"{cpu:.3f}" if cpu is not None else "-",
            r["c32"]["errors"] + r["c1"]["errors"], f"{r['html_bytes']:,}", summarise(r.get("cache_sample") or {}),
            quiet,
        ])
    print(support.render_table(
        ["server", "page", "req/s c32", "÷ static", "p50 ms c1", "p99 ms c1", "CPU ms/req", "errors", "bytes",
         "cache after the runs", "quiet"], table, "llrrrrrrrll"))
    print("÷ static   = req/s ÷ nginx serving the same page's HTML from a file at the page's own path\n"
          "             (WordPress rows: its own HTML at its paths);\n"
          "             the fastest pass when nginx static ran more than once.\n"
          "CPU ms/req = CPU time of the server's processes ÷ requests, at c32 (granian main + workers; "
          "+ the front's nginx;\n             WordPress: nginx + php-fpm + MariaDB).\n"
          "quiet      = the machine was quiet before both runs (else: the other processes' CPU, % of one core).")

    wp_rows = [r for r in rows if r["server"] == "WordPress uncached"]
    if wp_rows:
        print("\nkhabar uncached ÷ WordPress uncached (same run):")
        table = []
        for wp in wp_rows:
            k = find(rows, "khabar uncached", wp["page"])
            if k:
                table.append([wp["page"], fmt_rps(k["c32"]["requests_per_s"]), fmt_rps(wp["c32"]["requests_per_s"]),
                              f"{k['c32']['requests_per_s'] / wp['c32']['requests_per_s']:.2f}×",
                              fmt_ms(k["c1"]["p50_ms"]), fmt_ms(wp["c1"]["p50_ms"])])
        print(support.render_table(["page", "khabar req/s", "WordPress req/s", "khabar ÷ WP", "khabar p50 ms",
                                    "WP p50 ms"], table))

    ceiling = [r for r in [best_static(rows, "article")] if r] + [r for r in rows if r["page"] == "article" and (
        r["server"] == "khabar cached" or r["server"].startswith("gunicorn"))]
    gunicorn = any(r["server"].startswith("gunicorn") for r in ceiling)
    if ceiling and ceiling[0]["server"].startswith("nginx") and gunicorn:
        c = result.get("ceiling", {})
        print(f"\nserver ceiling, khabar's cached article (granian {c.get('granian_version')}, "
              f"gunicorn {c.get('gunicorn_version')}):")
        static = best_static(rows, "article")
        table = []
        for r in ceiling:
            name = "granian (make serve)" if r["server"] == "khabar cached" else r["server"]
            cpu = r["c32"].get("server_cpu_ms_per_request")
            table.append([name, fmt_rps(r["c32"]["requests_per_s"]),
                          f"{r['c32']['requests_per_s'] / static['c32']['requests_per_s']:.3f}",
                          fmt_ms(r["c1"]["p50_ms"]), f"{cpu:.3f}" if cpu is not None else "-"])
        print(support.render_table(["server", "req/s c32", "÷ static", "p50 ms c1", "CPU ms/req"], table))

    if result["memory"]:
        print("\nmemory after the runs (RSS MiB, now / peak):")
        table = []
        for label, mem in result["memory"].items():
            if "web_workers" in mem:
                workers = ", ".join(f"{w['rss_mib']:.0f}/{w['peak_rss_mib']:.0f}" for w in mem["web_workers"])
                main = mem.get("main") or {}
                task = mem.get("task_worker") or {}
                table.append([label, workers, f"{main.get('rss_mib', 0):.0f}" if main else "-",
                              f"{task.get('rss_mib', 0):.0f}" if task else "-"])
            else:
                table.append([label, ", ".join(f"{x:.0f}" for x in mem.get("rss_mib", [])), "-", "-"])
        print(support.render_table(["server", "each web worker", "main process", "task worker"], table, "llrr"))

    if result["single_flight"] or result["visibility"]:
        print("\nafter a purge, a publish, a comment approval:")
        table = []
        for e in result["single_flight"]:
            table.append([e["mode"], f"purge, then {e['requests']} requests at once",
                          f"{e['renders']} render(s)",
                          f"X-Khabar-Cache {e['x_khabar_cache']}"
                          + (f"; front {e['front_cache']}" if e["front_cache"] else "")
                          + f"; max {e['max_ms']} ms"])
        for e in result["visibility"]:
            shown = f"{e['visible_after_s']:.2f} s" if e["visible_after_s"] is not None else \
                f"not within {e['gave_up_after_s']:g} s"
            table.append([e["mode"], f"{e['change']} visible", shown,
                          f"first response after the commit {e['first_response_after_change']}"])
        print(support.render_table(["served by", "what", "result", "detail"], table, "llll"))

    targets = check_targets(result)
    if targets:
        print("\nissue 8 targets (ratios from this run):")
        print(support.render_table(["measure", "must reach", "this run", ""], targets, "llll"))
    for note in result["notes"]:
        print(f"NOTE: {note}")
    print()


def check_targets(result):
    rows, out = result["rows"], []

    def rps(server, page):
        r = find(rows, server, page)
        return r["c32"]["requests_per_s"] if r else None

    k, w = rps("khabar uncached", "article"), rps("WordPress uncached", "article")
    if k and w:
        out.append(["uncached article ÷ WordPress uncached", "≥ 4× (goal 10×)", f"{k / w:.2f}×",
                    "ok" if k / w >= 4 else "MISSED"])
    r = find(rows, "khabar uncached", "article")
    if r:
        out.append(["uncached article p50, 1 connection", "≤ 10 ms (goal 5)", f"{r['c1']['p50_ms']:.1f} ms",
                    "ok" if r["c1"]["p50_ms"] <= 10 else "MISSED"])
    for server, need in (("khabar cached", 0.25), ("khabar behind front", 0.90)):
        for page in PAGES:
            x, s = rps(server, page), (best_static(rows, page) or {}).get("c32", {}).get("requests_per_s")
            if x and s:
                out.append([f"{server} {page} ÷ nginx static", f"≥ {need:.0%}", f"{x / s:.1%}",
                            "ok" if x / s >= need else "MISSED"])
    for page in PAGES:
        # The same bytes at the same path, in short runs taken in turn with the front's: what the front
        # costs, apart from the machine's drift between the first static pass and the front's.
        for key, against in (("front_pairs", "nginx static + headers beside it"),
                             ("front_pairs_bare", "bare nginx static beside it")):
            paired = result.get(key, {}).get(page)
            if paired:
                ratio = paired["median_ratio"]
                out.append([f"khabar behind front {page} ÷ {against} (median of pairs)", "≥ 90%",
                            f"{ratio:.1%}", "ok" if ratio >= 0.9 else "MISSED"])
    for e in result["visibility"]:
        d = e["visible_after_s"]
        out.append([f"{e['change']} visible, {e['mode']}", "≤ 1 s", f"{d:.2f} s" if d is not None else "never",
                    "ok" if d is not None and d <= 1 else "MISSED"])
    for e in result["single_flight"]:
        out.append([f"renders for {e['requests']} requests after a purge, {e['mode']}", "≤ 2", str(e["renders"]),
                    "ok" if e["renders"] <= 2 else "MISSED"])
    return out


if __name__ == "__main__":
    print_report(json.loads(open(sys.argv[1], encoding="utf-8").read()))
