"""The comment form's token: signed, timestamped, the same for every reader of a page.

It says "this form was issued for article N at time T" and nothing about the
reader, so the page that carries it can be cached and served to anyone. The
view refuses a token that is forged, names another article, is younger than
``KHABAR_COMMENTS_MIN_SECONDS`` (a bot posts the moment it reads the form) or
older than ``KHABAR_COMMENTS_FORM_MAX_AGE`` (a form replayed days later).
"""

import time

from django.conf import settings
from django.core import signing

SALT = "khabar.comments.form"


# What the reader is told; the form keeps their text and carries a fresh token.
TOO_FAST = "أُرسل التعليق بسرعة كبيرة بعد فتح الصفحة. انتظر لحظة ثم اضغط «أرسل التعليق» مرة أخرى."
EXPIRED = "انتهت صلاحية النموذج لأن الصفحة فُتحت منذ وقت طويل. نصّك محفوظ أدناه: أعد الإرسال."
INVALID = "تعذّر التحقق من النموذج. نصّك محفوظ أدناه: أعد الإرسال."


def make_token(article_id, issued_at=None):
    issued_at = int(time.time() if issued_at is None else issued_at)
    return signing.Signer(salt=SALT).sign_object({"a": int(article_id), "t": issued_at})


def check_token(token, article_id, now=None):
    """None when the token is good for ``article_id`` now, otherwise the message to show the reader."""
    try:
        payload = signing.Signer(salt=SALT).unsign_object(token or "")
        issued_for, issued_at = int(payload["a"]), int(payload["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError):  # Overflow: {"t": Infinity}
        return INVALID
    if issued_for != int(article_id):
        return INVALID
    age = (time.time() if now is None else now) - issued_at
    if age > settings.KHABAR_COMMENTS_FORM_MAX_AGE:
        return EXPIRED
    if age < settings.KHABAR_COMMENTS_MIN_SECONDS:
        return TOO_FAST
    return None
