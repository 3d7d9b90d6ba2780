"""RQ's worker (``khabar worker`` with KHABAR_REDIS_URL), made to outlive a Redis outage.

RQ's worker waits for Redis to come back while it waits for a job, but its
scheduler, the process that moves tasks due later (the moderators' gathered
mail, a newsletter issue's watch) to the queue, dies at the first heartbeat
Redis does not answer, and the worker starts a new one only at its maintenance,
every ten minutes. This worker starts the scheduler again as soon as Redis
answers, and checks at least every ``WAKE_SECONDS``. settings.py names it
(``RQ["WORKER_CLASS"]``), so any ``rqworker`` picks it up.

A support module: it imports none of khabar's apps.
"""

import redis
from rq import Worker as RQWorker


class Worker(RQWorker):
    WAKE_SECONDS = 15

    @property
    def dequeue_timeout(self):
        return min(super().dequeue_timeout, self.WAKE_SECONDS)

    @property
    def should_run_maintenance_tasks(self):
        process = self.scheduler._process if self.scheduler is not None else None
        return (process is not None and not process.is_alive()) or super().should_run_maintenance_tasks

    def run_maintenance_tasks(self):
        # RQ's loop quits the worker on an error here; Redis gone again is no reason to.
        try:
            super().run_maintenance_tasks()
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as error:
            self.log.warning("Worker %s: Redis did not answer the maintenance (%s); will try again", self.name, error)
