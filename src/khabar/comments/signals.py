"""The signal the comments app sends; its receivers live in ``signal_handlers``."""

from django.dispatch import Signal

# Sent with ``article_ids``: the articles whose visible comments changed.
comments_changed = Signal()
