"""The beacon an article page sends once per view: POST /mostread/hit/ with ``page=<id>``.

Answers (never cached, never a cookie, never a body):

* 204: received; counted only when it is a person's first view of a published article
  in ``readers.REPEAT_SECONDS`` (robots, prefetches and repeats are answered alike, so
  a script learns nothing from trying);
* 403: sent by another site's page, or by no page at all (no Origin or Referer);
* 405: not a POST.

It is exempt from CSRF because the article page is served from a cache with no CSRF
cookie; the Origin check (``khabar.request_source``) stands in for it, as for comments.
"""

from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from khabar import request_source
from khabar.mostread import counters, readers
from khabar.mostread.countable import is_countable, parse_page_id


@csrf_exempt
@never_cache
@require_POST
def hit(request):
    if request_source.origin_verdict(request) is not True:
        return HttpResponseForbidden()
    page_id = parse_page_id(request.POST.get("page"))
    if (
        page_id is not None
        and not readers.is_automated(request)
        and is_countable(page_id)
        and readers.first_view(request, page_id)
    ):
        counters.record_view(page_id)
    return HttpResponse(status=204)
