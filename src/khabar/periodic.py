"""Work that comes round on its own (scheduled publishing, wire pulls, most-read counts) with only
`khabar worker` running: no cron, no systemd timer to install.

Apps name a task and its interval from their AppConfig.ready() (``every(60, publish_scheduled)``).
Each `khabar worker` runs a thread that enqueues every task when it is due, so the task itself runs
in the worker like any other, with its retries and its recovery after a crash. A key added to the
shared cache for the interval makes a site's several workers enqueue each task once between them.
"""

import logging
import threading
import time

from django.core.cache import cache
from django.db import connections

logger = logging.getLogger(__name__)

TICK_SECONDS = 1.0
_schedule = {}  # task module path -> (interval in seconds, task)


def every(seconds, task):
    """Run ``task`` (a django-tasks task taking no arguments) once per ``seconds`` across the site."""
    _schedule[task.module_path] = (seconds, task)


def scheduled():
    """The registered tasks as (module path, interval), for the worker's start-up line and tests."""
    return sorted((path, seconds) for path, (seconds, _) in _schedule.items())


def enqueue_due():
    """Enqueue each task whose interval has passed since any worker last enqueued it; returns their paths."""
    enqueued = []
    for path, (seconds, task) in list(_schedule.items()):
        try:
            # add() is atomic in both shared caches: exactly one worker wins each interval.
            if not cache.add(f"periodic:{path}", time.time(), timeout=seconds):
                continue
            task.enqueue()
            enqueued.append(path)
        except Exception:  # noqa: BLE001 - the cache or the queue is down: try again next tick
            logger.exception("periodic: could not enqueue %s", path)
            connections.close_all()  # this thread's own; a dropped database connection is opened anew
    return enqueued


def start_thread(tick=TICK_SECONDS):
    """Start the scheduling thread (a daemon: it stops with the worker process)."""

    def loop():
        while True:
            enqueue_due()
            time.sleep(tick)

    thread = threading.Thread(target=loop, name="khabar-periodic", daemon=True)
    thread.start()
    return thread
