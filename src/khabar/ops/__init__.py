"""Running khabar in production: the deployment checklist (``khabar check``) and backups
(``khabar backup``, ``khabar restore``). Used by the command line only; no app imports it."""


class OpsError(Exception):
    """A check, backup or restore that cannot go on; the message tells the operator what to do."""
