"""deploy/nginx/khabar.conf names the query parameters that change a page twice (its cache key, and
which requests may get a page file): both lists must be khabar's own (``KHABAR_PAGE_CACHE_PARAMS``), or
nginx would serve one page for another (``/?p=123``, a redirect, cached as the home page)."""

import re
from pathlib import Path

from django.conf import settings

CONF = (Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "khabar.conf").read_text()


def test_the_proxy_cache_key_holds_every_parameter_that_changes_a_page():
    key = re.search(r"map \$host \$khabar_cache_key \{\s*default \"([^\"]+)\"", CONF).group(1)
    assert set(re.findall(r"\$arg_(\w+)", key)) == set(settings.KHABAR_PAGE_CACHE_PARAMS)


def test_a_page_file_is_refused_for_every_parameter_that_changes_a_page():
    block = re.search(r"\$khabar_files_folder \{(.*?)\n\}", CONF, re.S).group(1)
    names = re.search(r'\(\?!\(\.\*&\)\?\(([^)]*)\)=\)', block).group(1)
    assert set(names.split("|")) == set(settings.KHABAR_PAGE_CACHE_PARAMS)
