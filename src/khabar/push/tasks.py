"""Web push runs in the task worker, never in the editor's request."""

from django_tasks import task

from khabar.push import sending


@task()
def send_breaking_push(article_id):
    """Push one breaking article to every subscribed browser; a second call for it sends nothing."""
    return sending.start(article_id)


@task()
def resume_breaking_pushes():
    """Carry on unfinished alerts: a dead worker's batches and the retries that are due."""
    return sending.resume_unfinished()
