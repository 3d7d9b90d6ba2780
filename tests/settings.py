"""Test overrides on top of khabar's one settings module.

Only what a test run needs differently: tasks run at once, a fast password
hasher, plain static storage (no collectstatic before every run), and a
throwaway media folder.
"""

import os
import tempfile

os.environ.setdefault("KHABAR_TASKS_BACKEND", "immediate")
os.environ.setdefault("KHABAR_EMAIL_URL", "locmem://")
# Tests change data inside transactions that never commit, so purges (run on commit) never come:
# neither cached pages nor shared fragments may outlive them. tests/pagecache drives the cache in real processes.
os.environ.setdefault("KHABAR_PAGE_CACHE", "off")
os.environ.setdefault("KHABAR_FRAGMENT_CACHE", "off")
os.environ.setdefault("KHABAR_DATA_DIR", tempfile.mkdtemp(prefix="khabar-test-"))
if os.environ.get("KHABAR_TEST_DATABASE_URL"):
    os.environ["KHABAR_DATABASE_URL"] = os.environ["KHABAR_TEST_DATABASE_URL"]

from khabar.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_AUTOREFRESH = True
