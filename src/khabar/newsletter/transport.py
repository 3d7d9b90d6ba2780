"""Handing one message at a time to Django's e-mail backend, and knowing what a failure means.

Exactly-once mail needs one fact the e-mail API does not give: the moment a
message becomes the server's responsibility. In SMTP that is the "." ending
DATA: a connection that drops before it leaves the server with nothing (RFC
5321 §4.1.1.4). ``CheckpointSMTP`` sends the whole message except that final
line, calls ``checkpoint`` (which records the delivery as "sending" and can
refuse), and only then sends the "." — so a crash before the checkpoint
provably delivered nothing, and only the short gap after it is uncertain.

Other backends (console, locmem, django-anymail's providers) have no such
point: the checkpoint runs just before the backend is called.
"""

import re
import smtplib
import socket

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend
from django.utils.module_loading import import_string


class LeaseLost(Exception):
    """Another worker owns this delivery now; it must not be sent from here."""


class TemporaryFailure(Exception):
    """Not delivered, may be tried again later (4xx, refused or dropped connection before the checkpoint)."""

    def __init__(self, reason, connection_down=False):
        super().__init__(reason)
        self.connection_down = connection_down


class PermanentFailure(Exception):
    """Not delivered and never will be (5xx); ``bounce`` when the address itself was refused."""

    def __init__(self, reason, bounce=True):
        super().__init__(reason)
        self.bounce = bounce


class UncertainDelivery(Exception):
    """The failure came after the checkpoint: the server may or may not have the message."""


class _CheckpointMixin:
    checkpoint = None

    def connect(self, *args, **kwargs):
        reply = super().connect(*args, **kwargs)
        # DATA goes out as two writes (message, then "."): without NODELAY, Nagle's
        # algorithm holds the second until the first is acknowledged, ~40 ms a message.
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return reply

    def data(self, msg):
        """smtplib's DATA, with ``checkpoint()`` called before the final "." that commits the message."""
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        if isinstance(msg, str):
            msg = smtplib._fix_eols(msg).encode("ascii")
        body = re.sub(rb"(?m)^\.", b"..", msg)  # dot-stuffing, RFC 5321 §4.5.2
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        self.send(body)
        if self.checkpoint is not None:
            try:
                self.checkpoint()
            except BaseException:
                self.close()  # mid-DATA: dropping the connection discards the message
                raise
        self.send(b".\r\n")
        return self.getreply()


class CheckpointSMTP(_CheckpointMixin, smtplib.SMTP):
    pass


class CheckpointSMTP_SSL(_CheckpointMixin, smtplib.SMTP_SSL):
    pass


class CheckpointSMTPBackend(DjangoSMTPBackend):
    """Django's SMTP backend, configured the same way (KHABAR_EMAIL_URL), with the checkpoint."""

    @property
    def connection_class(self):
        return CheckpointSMTP_SSL if self.use_ssl else CheckpointSMTP


class Transport:
    """One open connection reused for many messages; ``send`` raises one of the failures above."""

    def __init__(self):
        backend_class = import_string(settings.EMAIL_BACKEND)
        self.checkpointed = issubclass(backend_class, DjangoSMTPBackend)
        self.backend = CheckpointSMTPBackend() if self.checkpointed else get_connection()

    def send(self, message, checkpoint):
        passed = False

        def guarded_checkpoint():
            nonlocal passed
            checkpoint()
            passed = True

        try:
            if self.checkpointed:
                self.backend.open()
                self.backend.connection.checkpoint = guarded_checkpoint
                self.backend.send_messages([message])
            else:
                guarded_checkpoint()
                self.backend.send_messages([message])
        except LeaseLost:
            self.reset()
            raise
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            raise _by_code(code, f"{code} {_text(reply)}") from error
        except smtplib.SMTPSenderRefused as error:
            # Our sender address was refused: not the subscriber's fault, so never a bounce.
            reason = f"sender refused: {error.smtp_code} {_text(error.smtp_error)}"
            raise TemporaryFailure(reason, connection_down=True) from error
        except smtplib.SMTPDataError as error:
            # An explicit reply to DATA or to the final ".": the server did not take the message.
            raise _by_code(error.smtp_code, f"{error.smtp_code} {_text(error.smtp_error)}") from error
        except (smtplib.SMTPException, OSError) as error:
            self.reset()
            if passed:
                raise UncertainDelivery(f"connection lost after the checkpoint: {error!r}") from error
            raise TemporaryFailure(f"connection: {error!r}", connection_down=True) from error
        except Exception as error:
            if not passed:
                self.reset()
                raise
            raise _provider_failure(error) from error

    def reset(self):
        """Drop a connection in an unknown state; the next send opens a fresh one."""
        try:
            self.backend.close()
        except Exception:
            pass
        if self.checkpointed:
            self.backend.connection = None

    def close(self):
        self.reset()


def _by_code(code, reason):
    return PermanentFailure(reason) if code >= 500 else TemporaryFailure(reason)


def _text(reply):
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def _provider_failure(error):
    """Classify an error from a non-SMTP backend (e.g. django-anymail) raised after the checkpoint.

    A provider that answered with an HTTP error status did not accept the
    message; anything else (a timeout, a dropped connection) may have been
    accepted, so it is uncertain and not retried.
    """
    status = getattr(error, "status_code", None)
    if type(error).__name__ == "AnymailRecipientsRefused":
        return PermanentFailure(str(error))
    if isinstance(status, int):
        if status in (502, 504):
            # A gateway's error: the provider behind it may have taken the message already.
            return UncertainDelivery(f"provider gateway answered {status}")
        if status == 429 or status >= 500:
            return TemporaryFailure(f"provider answered {status}")
        return PermanentFailure(f"provider answered {status}", bounce=False)
    return UncertainDelivery(repr(error))
