"""A migrated WordPress article in a real browser: the old link works, the photo and the comment thread came along.

Screenshots of the migrated article at 1280 px and 390 px land in test-artifacts/screenshots/.
"""

from io import BytesIO
from urllib.parse import quote, unquote, urlsplit

import pytest
from playwright.sync_api import expect

from tests.wordpress import builder

from .conftest import DESKTOP, SCREENSHOTS, screenshot

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
TITLE = "وزير الخارجية يبحث في عمّان التهدئة في المنطقة"
# WordPress writes an Arabic slug percent-encoded, in lower-case hex, in post_name and in the permalink.
SLUG = quote("وزير-الخارجية-يبحث-في-عمان").lower()
OLD_PATH = f"/2019/03/{SLUG}/"
PHOTO_CAPTION = "قلعة عمّان صباح الزيارة"
BODY = (
    "<!-- wp:paragraph --><p>عمّان: وصل وزير الخارجية إلى العاصمة الأردنية صباح اليوم في زيارة تستمر يومين.</p>"
    "<!-- /wp:paragraph --><!-- wp:paragraph --><p>وقال الوزير للصحفيين إن المباحثات تتناول سبل التهدئة "
    "وفتح المعابر أمام المساعدات الإنسانية.</p><!-- /wp:paragraph -->"
)
THREAD = [  # (id, parent, name, e-mail, text, approved, WordPress user id)
    ("1", "0", "ليلى حداد", "layla@example.org", "زيارة مهمة في توقيت حساس، نتمنى أن تثمر.", "1", 0),
    ("2", "1", "محرر الموقع", "editor@example.org", "شكراً لك يا ليلى، سننشر تفاصيل المؤتمر الصحفي مساءً.", "1", 2),
    ("3", "2", "سامر خليل", "samer.k@example.net", "بانتظار التفاصيل، وهل سيزور الوزير المعابر؟", "1", 0),
]
PENDING = ("4", "0", "زائر مجهول", "spam-ish@example.com", "تعليق لم يراجعه أحد بعد ولا يجوز أن يظهر.", "0", 0)
EMAILS = [comment[3] for comment in [*THREAD, PENDING]]


def write_photo(uploads):
    """A 1200×675 JPEG, laid out as WordPress keeps it: wp-content/uploads/2019/03/…"""
    from PIL import Image, ImageDraw

    folder = uploads / "2019" / "03"
    folder.mkdir(parents=True)
    picture = Image.new("RGB", (1200, 675))
    draw = ImageDraw.Draw(picture)
    for y in range(675):
        draw.line([(0, y), (1200, y)], fill=(60 + y // 6, 110 + y // 10, 170 - y // 8))
    draw.rectangle([0, 480, 1200, 675], fill=(150, 120, 80))
    draw.polygon([(300, 480), (420, 300), (540, 300), (660, 480)], fill=(200, 170, 120))
    buffer = BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    (folder / "amman-citadel.jpg").write_bytes(buffer.getvalue())


def attachment():
    return (
        f"<item><title>{builder.cdata('قلعة عمّان')}</title><link>{builder.BASE}/?attachment_id=60</link>"
        f"<excerpt:encoded>{builder.cdata(PHOTO_CAPTION)}</excerpt:encoded>"
        "<wp:post_id>60</wp:post_id><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>"
        f"<wp:attachment_url>{builder.BASE}/wp-content/uploads/2019/03/amman-citadel.jpg</wp:attachment_url>"
        "<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key>"
        f"<wp:meta_value>{builder.cdata('2019/03/amman-citadel.jpg')}</wp:meta_value></wp:postmeta></item>"
    )


def commented_at(comment, hour):
    """The builder's comment, written on the article's day (Amman time, UTC+3) rather than the builder's fixed date."""
    return comment.replace("2018-05-09 10:00:00", f"2019-03-12 {hour:02d}:15:00").replace(
        "2018-05-09 07:00:00", f"2019-03-12 {hour - 3:02d}:15:00"
    )


@pytest.fixture
def migrated(live_server, django_db_serialized_rollback, home, tmp_path):
    """The old site's export and uploads folder, imported as an operator would: the imported article."""
    from khabar.news.models import ArticlePage
    from khabar.wordpress.importer import WordPressImporter

    uploads = tmp_path / "uploads"
    write_photo(uploads)
    comments = [
        commented_at(
            builder.comment(wp_id, text, parent=int(parent), approved=approved, name=name, email=email, user_id=user),
            hour=10 + int(wp_id),
        )
        for wp_id, parent, name, email, text, approved, user in [*THREAD, PENDING]
    ]
    post = builder.post(
        70, TITLE, body=BODY, slug=SLUG, date="2019-03-12 09:30:00", date_gmt="2019-03-12 06:30:00",
        link=f"{builder.BASE}{OLD_PATH}", meta=[("_thumbnail_id", "60")], comments=comments,
        tags=(("%d8%a7%d9%84%d8%a3%d8%b1%d8%af%d9%86", "الأردن"),),
    )
    path = builder.write(tmp_path, builder.export(post, attachment()))
    report = WordPressImporter(str(path), media=str(uploads)).run()
    assert (report["post"].created, report["image"].created, report["comment"].created) == (1, 1, 4), report.problems
    return ArticlePage.objects.get(title=TITLE)


def nesting_depth(page, text):
    """How many comments the comment saying ``text`` sits inside (0 for a top-level one)."""
    return page.evaluate(
        """text => {
            const card = [...document.querySelectorAll('#comments .comment__text')]
                .find(el => el.textContent.includes(text));
            if (!card) return null;
            let depth = -1;
            for (let node = card; node; node = node.parentElement) if (node.matches('li.comment')) depth++;
            return depth;
        }""",
        text,
    )


def test_an_old_permalink_opens_the_migrated_article_with_its_photo_and_thread(migrated, open_page):
    article_url = migrated.url
    assert unquote(article_url) != unquote(OLD_PATH)  # khabar's address differs: only the redirect can find it

    page = open_page(viewport=DESKTOP)
    response = page.goto(OLD_PATH)
    assert response.ok
    assert unquote(urlsplit(page.url).path) == unquote(article_url)
    hop = response.request.redirected_from
    assert hop is not None and hop.response().status == 301, "the old link answers with a permanent redirect"
    expect(page.locator("h1")).to_have_text(TITLE)

    # The featured image came across and is shown on top, with its WordPress caption.
    hero = page.locator(".article__hero img")
    expect(hero).to_be_visible()
    hero.evaluate("img => img.complete || new Promise(done => img.addEventListener('load', done, {once: true}))")
    assert hero.evaluate("img => img.naturalWidth") > 0, "the hero image did not load"
    expect(page.locator(".article__hero figcaption")).to_contain_text(PHOTO_CAPTION)

    # Three levels of replies, each inside the one it answers.
    comments = page.locator("#comments")
    for level, (_, _, name, _, text, _, _) in enumerate(THREAD):
        expect(comments.get_by_text(text)).to_be_visible()
        assert nesting_depth(page, text) == level, f"{name}'s comment should be at level {level}"
    # The newsroom's reply (written by the old site's editor account) carries the staff badge.
    expect(comments.locator("li.comment", has_text=THREAD[1][4]).locator(".badge--staff").first).to_be_visible()
    expect(page.locator("#comments-title")).to_have_text("3 تعليقات")

    # The comment awaiting moderation and every e-mail address stay out of the page.
    html = page.content()
    assert PENDING[4] not in html and PENDING[2] not in html
    for email in EMAILS:
        assert email not in html, f"{email} is on the page"
    assert "@example." not in page.evaluate("document.body.innerText")

    # WordPress's ?p=ID link lands on the same article.
    page.goto("/?p=70")
    assert unquote(urlsplit(page.url).path) == unquote(article_url)

    page.goto(OLD_PATH)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    screenshot(page, "wordpress-migrated-article-1280")

    phone = open_page(viewport=PHONE)
    phone.goto(OLD_PATH)
    expect(phone.locator(".article__hero img")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    assert nesting_depth(phone, THREAD[2][4]) == 2
    screenshot(phone, "wordpress-migrated-article-390")
    comments_shot = SCREENSHOTS / "wordpress-migrated-comments-390.png"
    phone.locator("#comments").screenshot(path=str(comments_shot), animations="disabled")
