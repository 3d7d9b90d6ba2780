"""What bench/pages.py asks of khabar itself, run as a child process inside khabar's Django.

    python bench/_khabar_actions.py prepare-article     # the newest article gets a picture, tags, comments
    python bench/_khabar_actions.py publish-title ID TITLE
    python bench/_khabar_actions.py add-pending-comment ID TEXT
    python bench/_khabar_actions.py approve-comment COMMENT_ID
    python bench/_khabar_actions.py purge-all

The environment (KHABAR_DATA_DIR, KHABAR_SITE_URL…) selects the site, as for ``khabar``.
Each command prints one JSON object as its last line. Times are ``time.time()`` taken
after the change committed, so the benchmark can tell how long readers wait to see it.
"""

import hashlib
import json
import os
import sys
import time
from io import BytesIO

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khabar.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

TAGS = ["اقتصاد عالمي", "الطاقة", "أسواق المال", "الشرق الأوسط"]
COMMENTS = [
    ("سلمى", "تحليل وافٍ، شكراً على نقل الأرقام كاملة."),
    ("أبو خالد", "هل من تفاصيل أكثر عن أثر القرار على الأسعار المحلية؟"),
    ("رامي", "المصدر الأصلي ذكر رقماً مختلفاً قليلاً، يرجى التدقيق."),
    ("نور", "متابعة ممتازة كالعادة."),
]
REPLY = ("فريق التحرير", "شكراً لملاحظتك، راجعنا الرقم مع الوكالة وهو صحيح كما نُشر.")


def _picture():
    """A 1600×900 JPEG drawn here (bands of colour), so the page carries a real hero image and its renditions."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (1600, 900), (24, 60, 92))
    draw = ImageDraw.Draw(img)
    for i in range(0, 900, 30):
        draw.rectangle([0, i, 1600, i + 15], fill=(40 + i // 8, 90 + i // 12, 120))
    draw.ellipse([1100, 120, 1400, 420], fill=(240, 190, 80))
    buffer = BytesIO()
    img.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()


def prepare_article():
    """Give the newest article (the home page's lead) what a real one has: picture, tags, an author, comments."""
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    from khabar.comments.models import Comment, Status
    from khabar.news.models import ArticlePage, Author

    article = ArticlePage.objects.published().newest_first().first()
    if article is None:
        raise SystemExit("no published article to prepare")
    data = _picture()
    image = get_image_model()(
        title="صورة الخبر", description="رسم لأشرطة ملونة وشمس",
        file=ImageFile(BytesIO(data), name="bench-hero.jpg"),
        file_size=len(data), file_hash=hashlib.sha1(data).hexdigest(),
    )
    image.save()
    author, _ = Author.objects.get_or_create(name="مراسل خبر", defaults={"role": "مراسل"})
    article.hero_image = image
    article.hero_caption = "صورة توضيحية للخبر"
    article.hero_credit = "خبر"
    article.authors.set([author])
    article.tags.set(TAGS)  # the ClusterTaggableManager takes names; a missing tag is created
    article.save_revision().publish()
    with transaction.atomic():
        first = None
        for number, (name, body) in enumerate(COMMENTS, 1):
            comment = Comment.objects.create(
                article=article, name=name, email=f"reader{number}@example.invalid", body=body,
                status=Status.APPROVED,
            )
            first = first or comment
        Comment.objects.create(article=article, parent=first, name=REPLY[0], email="desk@example.invalid",
                               body=REPLY[1], status=Status.APPROVED, is_staff_reply=True)
    article.refresh_from_db()
    section = article.get_parent()
    return {
        "id": article.pk, "title": article.title, "url": article.get_url(), "section_url": section.get_url(),
        "section_title": section.title, "comments": Comment.objects.filter(article=article).approved().count(),
        "tags": sorted(t.name for t in article.tags.all()),
        "published": ArticlePage.objects.published().count(),
    }


def publish_title(article_id, title):
    """Publish a new revision of the article with this title (as an editor pressing «نشر»)."""
    from khabar.news.models import ArticlePage

    article = ArticlePage.objects.get(pk=article_id)
    article.title = title
    started = time.time()
    article.save_revision().publish()  # purges run in on_commit callbacks, inside this call
    return {"started_at": started, "published_at": time.time(), "title": title}


def add_pending_comment(article_id, text):
    from khabar.comments.models import Comment, Status
    from khabar.news.models import ArticlePage

    article = ArticlePage.objects.get(pk=article_id)
    comment = Comment.objects.create(article=article, name="قارئ", email="reader@example.invalid", body=text,
                                     status=Status.PENDING)
    return {"comment_id": comment.pk}


def approve_comment(comment_id):
    """Approve as a moderator does from the queue (``set_status``, which sends the purge signal)."""
    from khabar.comments.models import Comment, Status

    started = time.time()
    Comment.objects.filter(pk=comment_id).set_status(Status.APPROVED)
    return {"started_at": started, "approved_at": time.time()}


def purge_all():
    from khabar import pagecache

    pagecache.purge_all()
    return {"purged_at": time.time()}


def main(argv):
    command, args = argv[0], argv[1:]
    if command == "prepare-article":
        result = prepare_article()
    elif command == "publish-title":
        result = publish_title(int(args[0]), args[1])
    elif command == "add-pending-comment":
        result = add_pending_comment(int(args[0]), args[1])
    elif command == "approve-comment":
        result = approve_comment(int(args[0]))
    elif command == "purge-all":
        result = purge_all()
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
