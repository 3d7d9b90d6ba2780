"""``khabar import wordpress`` on the shared export with its media, then on an export 50 times larger.

Each run is a real ``khabar import wordpress`` process on a fresh data dir (SQLite, schema from
``khabar manage migrate`` first, not timed). Reported: wall time, posts/s, the importing process's
peak RSS (wait4's rusage) and CPU time, and a re-run of the same file that must create nothing.
The large export is written from the shared one: every post, comment and attachment copied
with new ids and slugs (the same image files, so they are stored once). Prints a table and a
JSON object (also bench/results/wordpress_import.json).

    .venv/bin/python bench/wordpress_import.py               # shared export, then 50x (15,000 posts)
    .venv/bin/python bench/wordpress_import.py --copies 5    # a quicker large run
"""

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _support as support  # noqa: E402

SHARED = Path(os.environ.get("KHABAR_BENCH_WORDPRESS", "/work/shared/wordpress"))
ID_TAGS = re.compile(r"<wp:(post_id|comment_id|post_parent|comment_parent)>(\d+)</wp:\1>")
THUMBNAIL = re.compile(r"(<wp:meta_key><!\[CDATA\[_thumbnail_id\]\]></wp:meta_key>\s*<wp:meta_value><!\[CDATA\[)(\d+)")
POST_NAME = re.compile(r"<wp:post_name><!\[CDATA\[([^\]]+)\]\]></wp:post_name>")
LINK = re.compile(r"<link>([^<]*/)</link>")
IMAGE_ID = re.compile(r'(wp-image-|"id":)(\d+)')


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--copies", type=int, default=50, help="how many times the shared export is repeated (default 50)")
    p.add_argument("--keep", action="store_true", help="keep the data dirs")
    return p.parse_args(argv)


def enlarged_export(source, target, copies):
    """Write ``copies`` copies of the shared export's items into one export, ids and slugs made unique."""
    text = source.read_text(encoding="utf-8")
    head, first_item = text.split("<item>", 1)[0], text.index("<item>")
    tail_at = text.rindex("</item>") + len("</item>")
    items = text[first_item:tail_at]
    step = 10 ** (len(str(max(int(n) for _, n in ID_TAGS.findall(items)))) + 1)

    def shift(copy):
        def number(value):
            return str(int(value) + copy * step) if int(value) else value

        def item_text(chunk):
            chunk = ID_TAGS.sub(lambda m: f"<wp:{m.group(1)}>{number(m.group(2))}</wp:{m.group(1)}>", chunk)
            chunk = THUMBNAIL.sub(lambda m: m.group(1) + number(m.group(2)), chunk)
            chunk = IMAGE_ID.sub(lambda m: m.group(1) + number(m.group(2)), chunk)
            chunk = POST_NAME.sub(lambda m: f"<wp:post_name><![CDATA[{m.group(1)}-{copy}]]></wp:post_name>", chunk)
            return LINK.sub(lambda m: f"<link>{m.group(1).rstrip('/')}-{copy}/</link>", chunk)

        return item_text(items)

    with target.open("w", encoding="utf-8") as out:
        out.write(head)
        for copy in range(copies):
            out.write(shift(copy) if copy else items)
            out.write("\n")
        out.write("\n</channel>\n</rss>\n")
    return target


def run_import(data_dir, export, media):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KHABAR_", "DJANGO_"))}
    env.update(KHABAR_DATA_DIR=str(data_dir), KHABAR_TASKS_BACKEND="immediate", KHABAR_LOG_LEVEL="WARNING")
    subprocess.run([*support.khabar_command(), "manage", "migrate", "--verbosity", "0"], env=env, check=True)
    started = time.monotonic()
    process = subprocess.Popen(
        [*support.khabar_command(), "import", "wordpress", str(export), "--media", str(media)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"khabar import wordpress failed:\n{output}")
    counts = {}
    for line in output.splitlines():
        cells = line.split("\t")
        if len(cells) == 5 and cells[1].isdigit():
            counts[cells[0]] = dict(zip(("created", "updated", "unchanged", "skipped"), map(int, cells[1:])))
    return {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "counts": counts,
    }


def main(argv=None):
    args = parse_args(argv)
    export, media = SHARED / "wxr-arabic-news.xml", SHARED / "uploads"
    if not export.exists():
        sys.exit(f"{export} is absent: this benchmark reads the shared WordPress export")
    work = Path(tempfile.mkdtemp(prefix="khabar-bench-wp-"))
    results = {"machine": support.machine_facts(), "runs": []}
    try:
        large = enlarged_export(export, work / f"export-x{args.copies}.xml", args.copies)
        for name, path in (("shared export", export), (f"{args.copies}x export", large)):
            data_dir = work / name.replace(" ", "-")
            first = run_import(data_dir, path, media)
            again = run_import(data_dir, path, media)
            posts = first["counts"].get("الأخبار", {}).get("created", 0) + first["counts"].get("الصفحات", {}).get("created", 0)
            results["runs"].append({
                "export": name, "file_mib": round(path.stat().st_size / 2**20, 1), "posts": posts,
                "first": first, "posts_per_second": round(posts / first["seconds"], 1) if first["seconds"] else None,
                "rerun": again,
            })
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    rows = [
        (r["export"], r["file_mib"], r["posts"], r["first"]["seconds"], r["posts_per_second"], r["first"]["cpu_seconds"],
         r["first"]["peak_rss_mib"], r["rerun"]["seconds"], r["rerun"]["counts"].get("الأخبار", {}).get("created"))
        for r in results["runs"]
    ]
    print(support.render_table(
        ["export", "MiB", "posts", "s", "posts/s", "CPU s", "peak RSS MiB", "re-run s", "re-run created"], rows
    ))
    support.write_results("wordpress_import", results)


if __name__ == "__main__":
    main()
