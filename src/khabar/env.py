"""Reading configuration from ``KHABAR_*`` environment variables.

Kept apart from ``settings.py`` so that the parsing rules (booleans, lists,
e-mail URLs) are written once and can be tested without loading Django.
"""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def get_str(name, default=""):
    return os.environ.get(name, default)


def get_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: use one of 1/0, true/false, yes/no, on/off.")


def get_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def get_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def get_choice(name, default, choices):
    value = os.environ.get(name, default).strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r}: use one of {', '.join(sorted(choices))}.")
    return value


EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+ssl": "django.core.mail.backends.smtp.EmailBackend",
}


def parse_email_url(url):
    """Turn ``smtp+tls://user:pass@host:587`` (or ``console://``) into every ``EMAIL_*`` setting.

    Each key is always present (Django's own default where the URL says nothing), so
    settings.py can assign the names one by one, where a search of the code finds them.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in EMAIL_BACKENDS:
        raise ImproperlyConfigured(
            f"KHABAR_EMAIL_URL scheme {scheme!r} is unknown; use one of {', '.join(EMAIL_BACKENDS)}."
        )
    config = {
        "EMAIL_BACKEND": EMAIL_BACKENDS[scheme],
        "EMAIL_HOST": "localhost",
        "EMAIL_PORT": 25,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": None,
    }
    if scheme.startswith("smtp"):
        query = parse_qs(parts.query)
        config.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=parts.port or {"smtp": 25, "smtp+tls": 587, "smtp+ssl": 465}[scheme],
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_TLS=scheme == "smtp+tls",
            EMAIL_USE_SSL=scheme == "smtp+ssl",
            EMAIL_TIMEOUT=int(query.get("timeout", ["20"])[0]),
        )
    return config
