"""How long a sign-in lasts: KHABAR_SESSION_HOURS from signing in, KHABAR_SESSION_IDLE_MINUTES without a request.

Both are kept in the session itself, so they hold whatever the session backend
and the browser's cookie do. A Wagtail edit page in view pings the server every
10 seconds, so the idle limit ends abandoned sessions, not one being worked in.
"""

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in

from khabar.arabic.counting import HOUR, MINUTE, count_noun

SIGNED_IN_AT = "khabar_signed_in_at"
SEEN_AT = "khabar_seen_at"
SEEN_WRITE_SECONDS = 60  # note activity at most once a minute: a session write on every request is waste


def connect():
    user_logged_in.connect(start_session, dispatch_uid="khabar.staff.start_session")


def start_session(sender, request, user, **kwargs):
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now


def ended_because(session, now):
    """Why the session is over, or None."""
    signed_in_at = session.get(SIGNED_IN_AT)
    if signed_in_at is not None and now - signed_in_at > settings.KHABAR_SESSION_HOURS * 3600:
        return f"انتهت جلستك بعد {count_noun(settings.KHABAR_SESSION_HOURS, HOUR)} من الدخول. سجّل الدخول من جديد."
    idle_minutes = settings.KHABAR_SESSION_IDLE_MINUTES
    seen_at = session.get(SEEN_AT)
    if idle_minutes > 0 and seen_at is not None and now - seen_at > idle_minutes * 60:
        return f"انتهت جلستك بعد {count_noun(idle_minutes, MINUTE)} دون نشاط. سجّل الدخول من جديد."
    return None


def note_activity(session, now):
    session.setdefault(SIGNED_IN_AT, now)  # a session from before this check existed
    if now - session.get(SEEN_AT, 0) >= SEEN_WRITE_SECONDS:
        session[SEEN_AT] = now
