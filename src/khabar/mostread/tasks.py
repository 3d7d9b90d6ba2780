"""Most-read work that runs in the task worker."""

from django_tasks import task

from khabar.mostread import aggregation


@task()
def aggregate_views() -> None:
    """Move the minute counters into hourly rows and rebuild the «الأكثر قراءة» rankings.

    khabar.periodic enqueues this every minute; two runs at once count nothing twice.
    """
    aggregation.run()
