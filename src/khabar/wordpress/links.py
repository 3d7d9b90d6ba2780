"""Old WordPress addresses that keep working: permanent redirects, and the ``?p=ID`` links.

Permalinks, archives, feeds and upload URLs are stored as Wagtail redirects (editors see and
edit them under Settings → Redirects). Wagtail decodes a stored path to Unicode and decodes
each request's path the same way, so a link with its Arabic slug percent-encoded in upper- or
lower-case hex, or written raw, finds the same row. Wagtail only looks for a redirect after a
404, and ``/?p=123`` is the home page's address, so ``LegacyQueryRedirectMiddleware`` answers
WordPress's query links itself.
"""

from urllib.parse import urlsplit

from django.http import Http404, HttpResponsePermanentRedirect
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

# WordPress's "plain" links: ?p=ID (post), ?page_id=ID (page), ?attachment_id=ID, ?cat=ID.
QUERY_KEYS = ("p", "page_id", "attachment_id", "cat")
OLD_PATH_LENGTH = Redirect._meta.get_field("old_path").max_length


def old_path(url, base_url):
    """The path of an old URL on the exported site ("/2018/05/…/"), query kept; "" for another site's URL."""
    if base_url and not url.startswith(base_url):
        return ""
    parts = urlsplit(url)
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


def query_path(key, wp_id):
    return f"/?{key}={wp_id}"


class RedirectWriter:
    """Collects old paths and their targets, then writes them in bulk: each old path once, updated if it moved.

    ``bulk_create`` on purpose: a redirect saved one by one queues a reference-index task each.
    """

    def __init__(self, dry_run=False):
        self.dry_run = dry_run
        self.pending = {}  # normalised old path -> (page or None, link)
        self.created = 0
        self.updated = 0

    def to_page(self, path, page):
        self._add(path, page, "")

    def to_url(self, path, url):
        self._add(path, None, url)

    def _add(self, path, page, link):
        normalised = Redirect.normalise_path(path)
        if normalised and normalised != "/" and len(normalised) <= OLD_PATH_LENGTH:
            self.pending[normalised] = (page, link)

    def flush(self):
        """Write what was collected (inside the caller's transaction)."""
        pending, self.pending = self.pending, {}
        if self.dry_run or not pending:
            return
        existing = {r.old_path: r for r in Redirect.objects.filter(site=None, old_path__in=list(pending))}
        new, changed = [], []
        for path, (page, link) in pending.items():
            redirect = existing.get(path)
            if redirect is None:
                new.append(Redirect(site=None, old_path=path, is_permanent=True, redirect_page=page, redirect_link=link))
            elif redirect.redirect_page_id != (page.pk if page else None) or redirect.redirect_link != link:
                redirect.redirect_page, redirect.redirect_link = page, link
                changed.append(redirect)
        Redirect.objects.bulk_create(new)
        Redirect.objects.bulk_update(changed, ["redirect_page", "redirect_link"])
        self.created += len(new)
        self.updated += len(changed)


class LegacyQueryRedirectMiddleware:
    """``/?p=123`` → the imported post, ``/?page_id=``, ``/?attachment_id=``, ``/?cat=`` alike.

    Only requests for the site root that carry one of those keys are looked at; an id that was
    never imported answers 404 (as WordPress would), not the home page under another address.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and request.GET:
            for key in QUERY_KEYS:
                value = request.GET.get(key, "")
                if value:
                    return self.redirect(request, key, value)
        return self.get_response(request)

    def redirect(self, request, key, value):
        if not (value.isascii() and value.isdigit() and len(value) <= 18):
            raise Http404
        site = Site.find_for_request(request)
        redirect = Redirect.get_for_site(site).filter(old_path=query_path(key, value)).first()
        link = redirect.link if redirect else None
        if not link:
            raise Http404
        return HttpResponsePermanentRedirect(link)
