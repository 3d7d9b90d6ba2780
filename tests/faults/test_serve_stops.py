"""``khabar serve`` stops within a bounded time even when a web process cannot stop by itself.

A granian worker can hang in its own shutdown (once seen in CI on a busy machine,
and reported upstream). Here the worker is frozen with SIGSTOP, the surest such
hang: SIGTERM to ``khabar serve`` must still end it, and every process under it,
within the stop grace (granian's --workers-kill-timeout, then serve's own bound).
"""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from urllib.request import urlopen

from khabar import cli
from tests.faults.conftest import free_port, wait_until
from tests.instance import KHABAR, Instance
from tests.ops.sites import migrated_sqlite


def children_of(pid):
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def answers(port):
    try:
        with urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            return response.status == 200
    except OSError:
        return False


def test_serve_ends_with_its_processes_when_a_web_worker_hangs_on_stop(tmp_path):
    site = Instance(tmp_path, smtp_port=0, KHABAR_EMAIL_URL="locmem://", KHABAR_ALLOWED_HOSTS="127.0.0.1")
    shutil.copyfile(migrated_sqlite(), site.database)
    port = free_port()
    serve = subprocess.Popen(
        [*KHABAR, "serve", "--no-worker", "--workers", "1", "--port", str(port)], env=site.environ,
        stdout=open(tmp_path / "serve.log", "w"), stderr=subprocess.STDOUT, cwd=tmp_path, start_new_session=True,
    )
    try:
        wait_until(lambda: answers(port), 180, "khabar serve to answer", step=0.3)
        [granian] = children_of(serve.pid)
        workers = children_of(granian)
        assert workers, "granian runs its worker as a child process"
        for worker in workers:
            os.kill(worker, signal.SIGSTOP)  # it can no longer act on SIGTERM

        asked = time.monotonic()
        serve.send_signal(signal.SIGTERM)  # to serve alone, as its own stop handler passes it on
        serve.wait(cli.STOP_GRACE + 15)
        took = time.monotonic() - asked

        left = [pid for pid in [granian, *workers] if alive(pid)]
        assert left == [], f"still running after serve ended: {left}"
        assert took <= cli.STOP_GRACE + 5, f"serve took {took:.1f} s to stop"
    finally:
        if serve.poll() is None or children_of(serve.pid):
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait(30)
