"""After a bench/load.py run: is every accepted write in the database, and what did the server log say?"""

import re

from _load_mix import open_readonly


def verify(db_path, load):
    """Every accepted comment and sign-up must be a row in the database (opened read-only)."""
    marker = re.compile(rf"\(تعليق تجريبي {load.run_id}-(\d+)\)")
    with open_readonly(db_path) as db:
        rows = db.execute("SELECT body, status FROM comments_comment WHERE body LIKE ?",
                          (f"%تعليق تجريبي {load.run_id}-%",)).fetchall()
        emails = {email for (email,) in db.execute(
            "SELECT email FROM newsletter_subscriber WHERE email LIKE ?", (f"%.{load.run_id}@load.example.org",))}
        tasks = dict(db.execute("SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY status"))
    saved = {}
    for body, status in rows:
        found = marker.search(body)
        if found:
            saved[int(found.group(1))] = status
    accepted = load.comments["accepted"]
    missing_comments = sorted(set(accepted) - set(saved))
    approved_wrong = sorted(s for s, a in accepted.items() if s in saved and a["approved"] != (saved[s] == "approved"))
    unexpected = sorted(set(saved) - set(accepted))
    subs = load.subscriptions["accepted"]
    return {
        "comments": {
            "posted": load.comments["posted"], "accepted": len(accepted),
            "accepted_approved": sum(a["approved"] for a in accepted.values()),
            "refused_429": load.comments["refused_429"], "unanswered": len(load.comments["unanswered"]),
            "token_failed": load.comments["no_token"],
            "other": {str(k): v for k, v in load.comments["other"].items()},
            "other_examples": load.comments["other_examples"],
            "found_in_db": len(set(accepted) & set(saved)), "missing": missing_comments[:50],
            "missing_count": len(missing_comments), "status_mismatch": approved_wrong[:50],
            "saved_but_not_acknowledged": len(unexpected),
            "unanswered_saved": len(set(load.comments["unanswered"]) & set(saved)),
        },
        "subscriptions": {
            "posted": load.subscriptions["posted"], "accepted": load.subscriptions["accepted_answers"],
            "accepted_addresses": len(subs),
            "refused_429": load.subscriptions["refused_429"], "unanswered": len(load.subscriptions["unanswered"]),
            "other": {str(k): v for k, v in load.subscriptions["other"].items()},
            "found_in_db": len(subs & emails), "missing": sorted(subs - emails)[:50],
            "missing_count": len(subs - emails),
        },
        "tasks_by_status": tasks,
    }


def scan_log(log_path, offset):
    """Tracebacks, locked-database messages and server errors the server wrote during this run."""
    with open(log_path, "rb") as log:
        log.seek(offset)
        text = log.read().decode(errors="replace")
    lines = text.splitlines()
    tracebacks, i = [], 0
    while i < len(lines):
        if lines[i].startswith("Traceback"):
            start = max(0, i - 2)
            i += 1
            while i < len(lines) and (lines[i].startswith((" ", "\t")) or not lines[i].strip()
                                      or lines[i].startswith(("During handling", "The above exception"))
                                      or lines[i - 1].startswith(("During handling", "The above exception"))
                                      or lines[i].startswith("Traceback")):
                i += 1
            tracebacks.append("\n".join(lines[start:i + 1]))
        i += 1
    distinct = {}
    for tb in tracebacks:
        last = tb.strip().splitlines()[-1]
        distinct.setdefault(last, {"count": 0, "first": tb})["count"] += 1
    return {
        "tracebacks": len(tracebacks),
        "database_is_locked": text.count("database is locked"),
        "error_lines": sum(1 for line in lines if "ERROR" in line or "Internal Server Error" in line),
        "distinct": [{"last_line": k, **v} for k, v in distinct.items()],
    }
