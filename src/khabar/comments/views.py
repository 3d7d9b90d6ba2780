"""Posting a comment, and the fresh form token the browser fetches before posting.

``post_comment`` is exempt from the CSRF middleware because the article page
that holds the form is cached and carries no CSRF cookie; it checks the request's
Origin itself (see the package docstring). Its answers:

* 303 to the article with ``?comment=pending`` or ``?comment=approved``;
* 200, 403, 429 or 503: the article again with the form, the reader's text and the
  Arabic message (field errors; another site's form; too many comments; the rate
  limits' cache is down, so nothing can be counted: try again shortly);
* 403: the article with its comments and «التعليقات مغلقة على هذا الخبر.» where
  the form was, when the desk closed them (``ArticlePage.comments_open``);
* 404 for an article that is not public.
Nothing is saved unless every check passed, and then in one transaction.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from khabar import request_source
from khabar.comments import sources, tokens
from khabar.comments.checks import REJECT, run_checks
from khabar.comments.forms import CommentForm
from khabar.comments.models import Comment, Status, parse_pk
from khabar.comments.moderation import decide_status
from khabar.identity import limits
from khabar.identity.address import client_ip
from khabar.news.models import ArticlePage

logger = logging.getLogger(__name__)

CROSS_SITE = "أُرسل هذا النموذج من موقع آخر، فلم يُقبل. نصّك محفوظ أدناه: أرسله من هنا."
TOO_SOON = "تمهّل قليلاً: وصل منك تعليق قبل لحظات. انتظر {seconds} ثانية ثم أعد الإرسال؛ نصّك محفوظ أدناه."
TOO_MANY = "أرسلت تعليقات كثيرة خلال ساعة واحدة. حاول مرة أخرى لاحقاً؛ نصّك محفوظ أدناه."
TEXT_KEPT = "نصّك محفوظ أدناه."
RATE_SCOPE = "comments"
MODERATOR_PERMISSION = "comments.change_comment"


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


@csrf_exempt
@sensitive_post_parameters("name", "email", "url", "body")
@never_cache
@require_POST
def post_comment(request):
    article = _public_article(request.POST.get("article"))
    if not article.comments_open:
        # First of all checks: not even a bot caught in the trap is told its comment is pending.
        return _closed(request, article)
    form = CommentForm(article, request.POST)
    same_origin = request_source.origin_verdict(request)
    if same_origin is False:
        form.is_valid()
        return _form_again(request, article, form, status=403, message=CROSS_SITE)
    if form.caught_in_trap:
        logger.info("comment honeypot filled on article %s", article.pk)
        return _after_posting(request, article, "pending")
    if not form.is_valid():
        return _form_again(request, article, form)

    # A moderator's reply counts as staff only from our own page (Origin checked).
    staff = bool(same_origin and request.user.is_authenticated and request.user.has_perm(MODERATOR_PERMISSION))
    ip_hash = sources.address_hash(request)
    if not staff:
        refusal = _rate_refusal(request, form.cleaned_data["email"])
        if refusal:
            message = refusal.message if refusal.status == 429 else f"{refusal.message} {TEXT_KEPT}"
            response = _form_again(request, article, form, status=refusal.status, message=message)
            response["Retry-After"] = str(refusal.retry_after)
            return response

    submission = form.submission(ip_hash=ip_hash, user_agent=sources.user_agent(request))
    verdicts = [] if staff else run_checks(submission)
    rejected = next((verdict for verdict in verdicts if verdict.action == REJECT), None)
    if rejected:
        return _form_again(request, article, form, message=rejected.message)
    status, notes = decide_status(submission, verdicts, staff=staff)
    with transaction.atomic():
        comment = Comment.objects.create(
            article=article,
            parent=submission.parent,
            name=submission.name,
            email=submission.email,
            url=submission.url,
            body=submission.body,
            status=status,
            ip_hash=ip_hash,
            user_agent=submission.user_agent,
            user=request.user if staff else None,
            is_staff_reply=staff,
            check_notes=notes,
        )
    if status == Status.APPROVED:
        return _after_posting(request, article, "approved", comment)
    return _after_posting(request, article, "pending")


@never_cache
@require_GET
def form_token(request, article_id):
    """A token issued now, for a page that came from a cache (fetched by comments.js)."""
    return JsonResponse({"token": tokens.make_token(article_id)})


def _rate_refusal(request, email):
    """One comment per KHABAR_COMMENTS_FLOOD_SECONDS, a few an hour, counted per address and per e-mail.

    Both count, so neither a new address nor a new e-mail escapes the limit.
    """
    readers = (client_ip(request), email)
    flood = settings.KHABAR_COMMENTS_FLOOD_SECONDS
    return limits.one_per(RATE_SCOPE, readers, flood, TOO_SOON.format(seconds=flood)) or limits.at_most(
        RATE_SCOPE, readers, settings.KHABAR_COMMENTS_HOURLY_LIMIT, 3600, TOO_MANY
    )


def _public_article(raw_id):
    article_pk = parse_pk(raw_id)
    article = ArticlePage.objects.published().filter(pk=article_pk).first() if article_pk else None
    if article is None:
        raise Http404("لا يوجد خبر بهذا الرقم")
    return article


def _after_posting(request, article, outcome, comment=None):
    anchor = f"comment-{comment.pk}" if comment else "comment-status"
    return HttpResponseSeeOther(f"{article.get_url(request)}?comment={outcome}#{anchor}")


def _closed(request, article):
    """Refused: the article as readers see it, the closed notice where the form would be (comments_section)."""
    return TemplateResponse(request, article.get_template(request), article.get_context(request), status=403)


def _form_again(request, article, form, status=200, message=None):
    """The article page with the form as the reader sent it, its errors and ``message``."""
    if message:
        form.add_error(None, message)
    form.refresh_token()
    context = article.get_context(request)
    context["comment_form"] = form
    return TemplateResponse(request, article.get_template(request), context, status=status)
