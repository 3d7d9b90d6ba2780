"""News work that runs in the task worker."""

from django.core.management import call_command
from django_tasks import task


@task()
def publish_scheduled() -> None:
    """Publish the revisions whose go-live time has come and unpublish the pages whose expiry has passed.

    Wagtail's own command does the work (with its signals, so purges and indexing follow);
    khabar.periodic enqueues this every 30 seconds, so nothing but the worker is needed.
    """
    call_command("publish_scheduled", verbosity=0)


TASK_RESULTS_KEPT_DAYS = 7


@task()
def prune_task_results() -> None:
    """Delete finished task results older than a week (the database task backend keeps every one).

    The periodic tasks alone add thousands of rows a day; a failed task's row is kept as long, for
    the operator to read. khabar.news registers this hourly when the database backend is in use.
    """
    call_command("prune_db_task_results", queue_name="*", min_age_days=TASK_RESULTS_KEPT_DAYS, verbosity=0)
