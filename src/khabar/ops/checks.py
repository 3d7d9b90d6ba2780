"""``khabar check``: is this configuration ready for production?

Each check gives one finding: ``ok``, ``warning`` (works, but worth a look) or ``BLOCKER``
(do not go live like this), with what to do. The current settings are judged as a production
deployment, so a development setup shows blockers, the first of them KHABAR_PRODUCTION itself.
"""

import os
import re
import smtplib
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import Request, urlopen

from django.conf import settings

OK, WARNING, BLOCKER = "ok", "warning", "BLOCKER"
PROBE_SECONDS = 3  # a probe of a server that does not answer must not hold the checklist up
MIN_SECRET_LENGTH = 50  # Django's own threshold (security.W009)
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
UNSENT_MAIL = {
    "django.core.mail.backends.console.EmailBackend": "console://",
    "django.core.mail.backends.locmem.EmailBackend": "locmem://",
    "django.core.mail.backends.dummy.EmailBackend": "dummy://",
    "django.core.mail.backends.filebased.EmailBackend": "a file",
}


@dataclass(frozen=True)
class Finding:
    level: str
    topic: str
    text: str


def production_mode():
    if settings.PRODUCTION:
        return [Finding(OK, "production mode", "KHABAR_PRODUCTION=1 (HTTPS-only cookies, HSTS, redirect to https)")]
    return [Finding(BLOCKER, "production mode",
                    "KHABAR_PRODUCTION is off. Set KHABAR_PRODUCTION=1 in the environment (e.g. /etc/khabar.env) "
                    "and run khabar check again: Django's deploy checks below judge the current settings.")]


def django_deploy_checks():
    """``manage.py check --deploy``: errors block; its warnings block too once in production mode."""
    from django.core import checks

    findings = []
    for message in checks.run_checks(include_deployment_checks=True):
        if message.level < checks.WARNING or message.is_silenced():
            continue
        blocks = message.is_serious() or settings.PRODUCTION
        text = " ".join(f"{message.msg} {message.hint or ''}".split())
        findings.append(Finding(BLOCKER if blocks else WARNING, f"django {message.id}", text))
    return findings or [Finding(OK, "django check --deploy", "no issues")]


def secret_key():
    key = settings.SECRET_KEY
    if key == getattr(settings, "INSECURE_DEFAULT_SECRET", None):
        problem = "is the development default"
    elif len(key) < MIN_SECRET_LENGTH or len(set(key)) < 5:
        problem = f"is only {len(key)} characters long"
    else:
        return [Finding(OK, "secret key", f"set ({len(key)} characters)")]
    return [Finding(BLOCKER, "secret key",
                    f"KHABAR_SECRET_KEY {problem}. Set it to {MIN_SECRET_LENGTH} or more random characters: "
                    "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'")]


def site_url():
    raw = os.environ.get("KHABAR_SITE_URL", "").strip()
    fix = "Set KHABAR_SITE_URL to the public address readers use, e.g. https://news.example.org"
    if not raw:
        return [Finding(BLOCKER, "site address",
                        f"KHABAR_SITE_URL is not set: links in mail, feeds and sitemaps would point to "
                        f"{settings.SITE_URL}. {fix}")]
    parts = urlsplit(raw)
    if parts.scheme != "https":
        return [Finding(BLOCKER, "site address", f"KHABAR_SITE_URL is {raw}, not https. {fix}")]
    if (parts.hostname or "") in LOCAL_HOSTS:
        return [Finding(BLOCKER, "site address", f"KHABAR_SITE_URL is {raw}: readers cannot reach this machine's "
                                                 f"loopback. {fix}")]
    return [Finding(OK, "site address", settings.SITE_URL)]


def allowed_hosts():
    from django.http.request import validate_host

    hosts = settings.ALLOWED_HOSTS
    fix = "Set KHABAR_ALLOWED_HOSTS to the site's host names, comma-separated (e.g. news.example.org)."
    if "KHABAR_ALLOWED_HOSTS" not in os.environ:
        return [Finding(BLOCKER, "allowed hosts", f"KHABAR_ALLOWED_HOSTS is not set: only {', '.join(hosts)} "
                                                  f"are answered. {fix}")]
    if not hosts:
        return [Finding(BLOCKER, "allowed hosts", f"KHABAR_ALLOWED_HOSTS is empty: every request gets 400. {fix}")]
    if any(host.strip(".") in ("*", "") for host in hosts):
        return [Finding(BLOCKER, "allowed hosts", f"KHABAR_ALLOWED_HOSTS has a wildcard ({', '.join(hosts)}): "
                                                  f"any Host header is accepted (poisoned links in mail). {fix}")]
    own = urlsplit(settings.SITE_URL).hostname or ""
    if own and not validate_host(own, hosts):
        return [Finding(BLOCKER, "allowed hosts", f"the site's own host {own} is not in KHABAR_ALLOWED_HOSTS "
                                                  f"({', '.join(hosts)}): its pages would answer 400. {fix}")]
    return [Finding(OK, "allowed hosts", ", ".join(hosts))]


def email():
    backend = settings.EMAIL_BACKEND
    if backend in UNSENT_MAIL:
        return [Finding(BLOCKER, "e-mail",
                        f"KHABAR_EMAIL_URL sends mail to {UNSENT_MAIL[backend]}, not to readers: no subscription "
                        "is ever confirmed. Set it to your mail server, "
                        "e.g. smtp+tls://user:password@smtp.example.org:587")]
    findings = []
    if backend == "django.core.mail.backends.smtp.EmailBackend":
        host, port = settings.EMAIL_HOST, settings.EMAIL_PORT
        try:
            # Connect only (no login, no mail): is anything listening there?
            probe = (smtplib.SMTP_SSL if settings.EMAIL_USE_SSL else smtplib.SMTP)(host, port, timeout=PROBE_SECONDS)
            probe.close()
        except (OSError, smtplib.SMTPException) as error:
            findings.append(Finding(WARNING, "e-mail", f"the SMTP server {host}:{port} does not answer ({error}): "
                                                       "mail waits and is retried, but check KHABAR_EMAIL_URL."))
        else:
            findings.append(Finding(OK, "e-mail", f"SMTP server {host}:{port} answers"))
    else:
        findings.append(Finding(OK, "e-mail", backend))
    sender = settings.DEFAULT_FROM_EMAIL
    if re.search(r"@(localhost|example\.(com|org|net))\b", sender):
        findings.append(Finding(WARNING, "e-mail sender",
                                f"mail is sent as {sender}, which receivers reject. "
                                "Set KHABAR_DEFAULT_FROM_EMAIL to an address of your domain."))
    return findings


def shared_cache():
    """Rate limits, render locks and purges hold only if every process sees the same cache."""
    from django.core.cache import caches

    findings = []
    for alias, config in settings.CACHES.items():
        backend = config["BACKEND"]
        if backend in PER_PROCESS_CACHES:
            findings.append(Finding(BLOCKER, f"cache {alias}",
                                    f"{backend.rsplit('.', 1)[-1]} lives inside each process: rate limits and purges "
                                    "would differ between web processes. Leave khabar's default (a store in "
                                    "KHABAR_DATA_DIR) or set KHABAR_REDIS_URL."))
            continue
        try:
            store = caches[alias]
            store.set("khabar-check", "1", 10)
            answered = store.get("khabar-check") == "1"
        except Exception as error:  # any client error means the same thing here: unusable
            answered, backend = False, f"{backend} ({error})"
        if not answered:
            findings.append(Finding(BLOCKER, f"cache {alias}", f"{backend} cannot be written and read back. "
                                                               "Check KHABAR_REDIS_URL or KHABAR_DATA_DIR."))
        elif "redis" in backend.lower():
            findings.append(Finding(OK, f"cache {alias}", "Redis, shared by every process and machine"))
        else:
            findings.append(Finding(OK, f"cache {alias}", "shared by every process on this machine (one machine only; "
                                                          "more machines need KHABAR_REDIS_URL)"))
    return findings


def front_cache():
    """Send the purge Wagtail sends on publish (of the home page), with a short timeout."""
    location = getattr(settings, "FRONTEND_CACHE_URL", "")
    if not location:
        return [Finding(OK, "front cache", "KHABAR_FRONTEND_CACHE_URL not set: no proxy to purge")]
    target, site = urlsplit(location), urlsplit(settings.SITE_URL)
    request = Request(urlunsplit((target.scheme, target.netloc, "/", "", "")), method="PURGE",
                      headers={"Host": site.netloc, "User-Agent": "khabar-check"})
    try:
        with urlopen(request, timeout=PROBE_SECONDS) as response:  # noqa: S310 - the operator's own URL
            status = response.status
    except HTTPError as error:
        status = error.code
    except (URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        return [Finding(BLOCKER, "front cache", f"{location} does not answer ({reason}): publishing could not purge "
                                                "the proxy. Start it, or correct KHABAR_FRONTEND_CACHE_URL.")]
    if status in (403, 405, 501):
        return [Finding(BLOCKER, "front cache", f"{location} refuses PURGE (HTTP {status}): pages would stay stale "
                                                "there after publishing. Allow PURGE from this machine "
                                                "(deploy/nginx/khabar.conf).")]
    if status < 300 or status == 404:  # the purge module's 404 means "was not cached": purged all the same
        return [Finding(OK, "front cache", f"{location} accepts purges (HTTP {status})")]
    return [Finding(WARNING, "front cache", f"{location} answered a purge with HTTP {status}: check that it purges")]


def database():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as error:
        return [Finding(BLOCKER, "database", f"cannot use {connection.vendor} ({error}). Check KHABAR_DATABASE_URL.")]
    where = connection.settings_dict["NAME"]
    if pending:
        return [Finding(WARNING, "database", f"{connection.vendor} {where}: {len(pending)} migrations not applied yet "
                                             "(khabar serve applies them; or khabar manage migrate)")]
    return [Finding(OK, "database", f"{connection.vendor} {where}, migrations applied")]


def _writable(path):
    """None when ``path`` is (or can be created as) a folder this process writes in; else why not."""
    path = Path(path)
    existing = path
    while not existing.exists():
        if existing.parent == existing:
            return "no part of it exists"
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is not a folder"
    if existing != path:
        if os.access(existing, os.W_OK | os.X_OK):
            return None
        return f"{existing} is not writable, so it cannot be created"
    try:
        with tempfile.TemporaryFile(dir=path):
            return None
    except OSError as error:
        return f"not writable ({error.strerror})"


def folders():
    findings = []
    for topic, path, variable in (
        ("media folder", settings.MEDIA_ROOT, "KHABAR_MEDIA_ROOT"),
        ("backup folder", settings.KHABAR_BACKUP_DIR, "KHABAR_BACKUP_DIR"),
    ):
        problem = _writable(path)
        if problem:
            findings.append(Finding(BLOCKER, topic, f"{path}: {problem}. Fix its owner (the user khabar runs as) "
                                                    f"or point {variable} elsewhere."))
        else:
            findings.append(Finding(OK, topic, f"{path} {'writable' if Path(path).exists() else 'can be created'}"))
    findings.extend(_backups_beside_database())
    return findings


def _backups_beside_database():
    """A disk failure takes SQLite and backups kept on the same disk together."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3":
        return []
    backups = Path(settings.KHABAR_BACKUP_DIR)
    while not backups.exists() and backups.parent != backups:
        backups = backups.parent
    try:
        same_disk = os.stat(backups).st_dev == os.stat(Path(db["NAME"]).parent).st_dev
    except OSError:
        return []
    if not same_disk:
        return []
    return [Finding(WARNING, "backup copies", "backups are written to the same disk as the database: copy the "
                                              "archives to another machine too (rsync, object storage).")]


CHECKS = [production_mode, django_deploy_checks, secret_key, site_url, allowed_hosts, email, shared_cache,
          front_cache, database, folders]


def run_checks():
    """Every finding, in checklist order."""
    findings = []
    for check in CHECKS:
        findings.extend(check())
    return findings


def print_report(findings, write=print):
    """One line per finding and a verdict; returns the exit status (1 when anything blocks)."""
    write("khabar check: is this configuration ready for production?")
    for finding in findings:
        write(f"{finding.level:<8} {finding.topic:<22} {finding.text}")
    blockers = sum(f.level == BLOCKER for f in findings)
    warnings = sum(f.level == WARNING for f in findings)
    if blockers:
        write(f"{blockers} blocker(s), {warnings} warning(s): fix the blockers before going live.")
        return 1
    write(f"No blockers, {warnings} warning(s): ready for production.")
    return 0
