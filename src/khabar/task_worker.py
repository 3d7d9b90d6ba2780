"""The database task worker (django-tasks-db's ``db_worker``), made to outlive what a server meets.

* A worker killed with SIGKILL (the OOM killer, a deploy gone wrong) leaves the task it was running
  marked RUNNING, and django-tasks-db never looks at it again. Each worker here names itself
  ``host:pid:process-start:run``; on starting, it puts back in the queue every task claimed by a
  worker of this host that is no longer alive, and the task runs again. khabar's tasks are written to
  be run twice (they claim their rows in a transaction, or redo idempotent work). A task that has
  already taken ``MAX_WORKERS_LOST`` workers down with it is marked failed instead, so one poisonous
  task cannot kill workers for ever.
* A database restart makes ``db_worker`` raise and exit. Here the worker waits, reconnects and goes on,
  putting back the task it was running when the connection broke.
"""

import logging
import os
import socket
import time
from pathlib import Path

from django.core.management import call_command
from django.db import InterfaceError, OperationalError, connections
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_WORKERS_LOST = 3
RECONNECT_DELAYS = (0.5, 1, 2, 5)  # seconds between attempts while the database is away; the last repeats


class WorkerLost(Exception):
    """Recorded on a task whose workers kept dying while running it."""


def _host():
    return socket.gethostname()[:24]


def _started(pid):
    """When process ``pid`` started (clock ticks since boot), so a reused pid is not taken for it; None when gone."""
    if not Path("/proc").is_dir():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return "-"
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[19].decode()  # field 22, counting from "state" (3)
    except (OSError, IndexError):
        return None


def requeue_abandoned(backend_name, me):
    """Put back in the queue the tasks left RUNNING by dead workers of this host; returns how many.

    ``me`` is this process's (pid, start); its own earlier runs (cut off by a database error) are dead too.
    """
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    host = _host()
    requeued = 0
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, backend_name=backend_name):
        parts = (result.worker_ids or [""])[-1].split(":")
        if len(parts) != 4 or parts[0] != host or not parts[1].isdigit():
            continue  # another machine's worker, or one named before this module: not ours to judge
        pid, start = int(parts[1]), parts[2]
        if (pid, start) != me and _started(pid) == start:
            continue  # still running it
        still_abandoned = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        )
        if len(result.worker_ids) >= MAX_WORKERS_LOST:
            still_abandoned.update(
                status=TaskResultStatus.FAILED, finished_at=timezone.now(),
                exception_class_path=f"{__name__}.WorkerLost",
                traceback=f"WorkerLost: {len(result.worker_ids)} workers died while running this task\n",
            )
            logger.error("task %s (%s) failed: its workers kept dying", result.pk, result.task_path)
        elif still_abandoned.update(status=TaskResultStatus.READY, started_at=None):
            requeued += 1
            logger.warning("task %s (%s) was cut off with its worker: queued again", result.pk, result.task_path)
    return requeued


def run(interval, backend_name="default"):
    """Run ``db_worker`` until it is stopped (SIGTERM, SIGINT), starting it again after a database error."""
    me = (os.getpid(), _started(os.getpid()) or "-")
    failures = 0
    run_number = 0
    while True:
        run_number += 1
        worker_id = f"{_host()}:{me[0]}:{me[1]}:{run_number}"
        try:
            requeue_abandoned(backend_name, me)
            failures = 0
            call_command(
                "db_worker", interval=interval, backend_name=backend_name, worker_id=worker_id,
                reload=False, startup_delay=False,
            )
            return
        except (OperationalError, InterfaceError) as error:
            delay = RECONNECT_DELAYS[min(failures, len(RECONNECT_DELAYS) - 1)]
            failures += 1
            logger.warning("task worker: the database is unreachable (%s); trying again in %s s", error, delay)
            for connection in connections.all(initialized_only=True):
                try:
                    connection.close()
                except Exception:  # noqa: BLE001 - a broken connection may fail to close; it is dropped anyway
                    pass
            time.sleep(delay)
