"""One message from a task, when the mail server may be away: know whether sending it again is safe.

A mail that failed may be sent again later only if the server provably did not
take it: it could not be reached (nothing was sent), or it answered "not now"
(a 4xx reply). ``TryLater`` says exactly that. Any other failure (a dropped
connection mid-message, a timeout waiting for the final reply) propagates as it
is: the server may have the message, and a second send could deliver it twice.
The newsletter's digests have their own, finer bookkeeping (``newsletter.sending``).

A support module: it imports none of khabar's apps.
"""

import smtplib
from contextlib import contextmanager

from django.core.mail import get_connection


class TryLater(Exception):
    """Not delivered, provably: the same message may be sent again later."""


@contextmanager
def connection():
    """An open connection of the configured e-mail backend, closed on leaving.

    Raises ``TryLater`` when the server cannot be reached, or when a send inside
    the block is answered with a 4xx reply.
    """
    opened = get_connection()
    try:
        opened.open()
    except (OSError, smtplib.SMTPException) as error:
        raise TryLater(f"the mail server cannot be reached: {error!r}") from error
    try:
        yield opened
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
        if _not_now(error):
            raise TryLater(f"the mail server answered «not now»: {error!r}") from error
        raise
    finally:
        try:
            opened.close()
        except (OSError, smtplib.SMTPException):
            pass  # the message's fate was settled above; a failed QUIT changes nothing


def _not_now(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    return 400 <= error.smtp_code < 500
