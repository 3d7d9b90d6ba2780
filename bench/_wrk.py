"""One wrk measurement with the server's CPU time beside it (imported by bench/pages.py)."""

import re
import resource
import subprocess

import _support as support

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def to_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        raise ValueError(f"unreadable wrk latency {text!r}")
    return float(match.group(1)) * UNITS_MS[match.group(2)]


def parse_wrk(output):
    """requests/s, latency percentiles (ms), request and error counts from ``wrk --latency`` output."""
    result = {}
    match = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    if not match:
        raise ValueError("no Requests/sec in wrk output:\n" + output)
    result["requests_per_s"] = float(match.group(1))
    distribution = output.split("Latency Distribution", 1)
    if len(distribution) != 2:
        raise ValueError("no latency distribution in wrk output (was --latency passed?):\n" + output)
    for pct, value in re.findall(r"^\s+(\d+)%\s+(\S+)", distribution[1], re.M):
        result[f"p{pct}_ms"] = round(to_ms(value), 3)
    match = re.search(r"^\s+Latency\s+(\S+)\s+(\S+)\s+(\S+)", output, re.M)
    if match:
        result["mean_ms"], result["max_ms"] = round(to_ms(match.group(1)), 3), round(to_ms(match.group(3)), 3)
    match = re.search(r"(\d+) requests in ([\d.]+\w+), ([\d.]+\w+) read", output)
    if match:
        result["requests"] = int(match.group(1))
        result["read"] = match.group(3)
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    kinds = ("connect", "read", "write", "timeout")
    result["socket_errors"] = dict(zip(kinds, map(int, match.groups()))) if match else {}
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["non_2xx_3xx"] = int(match.group(1)) if match else 0
    result["errors"] = sum(result["socket_errors"].values()) + result["non_2xx_3xx"]
    return result


def run(url, *, threads, connections, duration, budget, server_pids=(), timeout_s=10, script=None):
    """wrk -tT -cC -dD --latency URL; adds the server's CPU ms per request and the CPU nobody here used.

    ``server_pids`` may be a callable, read just before and after the run (workers respawn).
    """
    wanted = duration + 30
    if budget.timeout(wanted) < duration + 5:
        raise support.OutOfTime(f"not enough time left for a {duration:g} s wrk run")
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration:g}s", "--timeout", f"{timeout_s:g}s",
           "--latency", *(["-s", str(script)] if script else []), url]  # script: a Lua file (POST bodies, headers)
    pids = list(server_pids() if callable(server_pids) else server_pids)
    cpu_before, busy_before = support.process_cpu_seconds(pids), support.system_busy_seconds()
    wrk_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=wanted)
    cpu_used = support.process_cpu_seconds(pids) - cpu_before
    wrk_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_cpu = (wrk_after.ru_utime + wrk_after.ru_stime) - (wrk_before.ru_utime + wrk_before.ru_stime)
    other_cpu = support.system_busy_seconds() - busy_before - cpu_used - wrk_cpu
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stderr or proc.stdout}")
    result = parse_wrk(proc.stdout)
    result["command"] = " ".join(cmd)
    result["server_cpu_s"] = round(cpu_used, 2)
    result["wrk_cpu_s"] = round(wrk_cpu, 2)
    # CPU that neither the server nor wrk used: other work on a shared machine skews the figures.
    result["other_cpu_s"] = round(max(other_cpu, 0.0), 2)
    if result.get("requests") and pids:
        result["server_cpu_ms_per_request"] = round(1000 * cpu_used / result["requests"], 3)
    return result
