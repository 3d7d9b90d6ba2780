"""Fixtures for driving the readers' site in a real Chromium through Playwright.

The browser is Debian's Chromium (/usr/bin/chromium); nothing is downloaded. Without it
(or without Playwright) the tests skip, except under CI=true, where they fail. Every
page opened through ``open_page`` records console errors and uncaught page errors,
and the test fails if any occurred. The site runs on pytest-django's ``live_server``,
so these tests use a transactional database rebuilt for each test.
"""

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

MOBILE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}

HEADLINE = "موسكو تبحث مع وفد حماس إطلاق سراح الأجانب وإجلاء المواطنين الروس من غزة"
LEAD = (
    "بحث المسؤولون الروس اليوم الخميس مع وفد قيادي من حركة حماس في موسكو، مسألة إطلاق سراح "
    "المحتجزين الأجانب وإجلاء المواطنين الروس من قطاع غزة."
)
PARAGRAPHS = (
    LEAD,
    "وقالت الخارجية الروسية في بيان، نقلت مقتطفات منه قناة “آر تي عربية” الروسية: “جرت مباحثات "
    "لمواصلة الجهود الروسية للإفراج فورا عن المحتجزين الأجانب المتواجدين في قطاع غزة، وقضايا تتعلق "
    "بإجلاء المواطنين الروس وغيرهم من المواطنين الأجانب من أراضي القطاع”.",
    "وأضافت الوزارة: “تم تأكيد موقف روسيا الثابت، المؤيد لتنفيذ القرارات المعروفة الصادرة عن المجتمع "
    "الدولي، والتي تنص على إنشاء دولة فلسطينية ذات سيادة داخل حدود عام 1967”.",
    "ووصل وفد قيادي من حماس، برئاسة عضو المكتب السياسي للحركة موسى أبو مرزوق، يوم الخميس الماضي "
    "في زيارة للعاصمة الروسية موسكو.",
    "ويتعرض قطاع غزة لقصف بري وبحري وجوي منذ 7 تشرين الأول/أكتوبر، فيما يسكن القطاع أكثر من "
    "مليوني فلسطيني يعانون من أوضاع معيشية متدهورة جراء حصار متواصل منذ 2006.",
    "وبلغت حصيلة الضحايا 7028 شخصا بينهم 2913 طفلا و1709 نساء، وأكثر من 18 ألف جريح في القطاع.",
)
TAGS = ("روسيا", "غزة", "الدبلوماسية")

# Other stories so the home page has a lead, a latest list and section blocks.
STORIES = {
    "العالم": (
        "الأمم المتحدة تدعو إلى هدنة إنسانية عاجلة",
        "قمة إقليمية في القاهرة لبحث التطورات",
        "انتخابات برلمانية مبكرة في أوروبا الشرقية",
        "وزراء الخارجية العرب يجتمعون الأسبوع المقبل",
    ),
    "اقتصاد": (
        "أسعار النفط ترتفع لأعلى مستوى في ثلاثة أشهر",
        "البنك المركزي يبقي أسعار الفائدة دون تغيير",
        "صادرات الفوسفات تسجل رقما قياسيا",
        "تراجع التضخم للشهر الرابع على التوالي",
        "إطلاق منصة رقمية لدعم المشاريع الصغيرة",
    ),
    "رياضة": (
        "المنتخب يتأهل إلى نهائيات كأس آسيا",
        "نادي الوحدات يتوج بلقب الدوري للمرة الثانية",
        "عداءة عربية تحطم الرقم القياسي في سباق 1500 متر",
        "افتتاح ملعب جديد يتسع لأربعين ألف متفرج",
    ),
}


# --- the browser -------------------------------------------------------------------------


@contextmanager
def async_unsafe_allowed():
    """Let Django run ORM calls while Playwright's sync API keeps an asyncio loop in this thread.

    Set only while the browser runs, not at import: a variable set for the whole session
    leaks into subprocesses other tests start (``manage.py check --deploy`` fails on it).
    """
    already = "DJANGO_ALLOW_ASYNC_UNSAFE" in os.environ
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    try:
        yield
    finally:
        if not already:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def browser_missing(reason):
    """Skip the browser tests with ``reason``; under CI=true fail them, where a skip would hide a broken run."""
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}:
        pytest.fail(f"{reason} (CI={os.environ['CI']}: the browser tests must run, not skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def browser(django_db_setup):
    """One headless Debian Chromium for the e2e tests; a skip when it or Playwright is missing (a failure in CI)."""
    if not CHROMIUM.exists():
        browser_missing(f"{CHROMIUM} is absent: install Debian's chromium package (make browser) to run the e2e tests")
    try:
        from playwright import sync_api
    except ImportError:
        browser_missing("playwright is not installed (pip install -e '.[test]')")
    from django.db import connections

    test_connections = {alias: connections[alias] for alias in connections}
    with async_unsafe_allowed(), sync_api.sync_playwright() as playwright:
        # While Playwright's event loop runs in this thread, asgiref keeps Django's connections
        # per context, so the tests would get new connection objects: not the ones the live
        # server shares, and without the snapshot serialized rollback restores. Keep the originals.
        for alias, connection in test_connections.items():
            connections[alias] = connection
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class BrowserErrors:
    """Console errors and uncaught exceptions seen by the pages of one test."""

    errors: list = field(default_factory=list)
    allowed: list = field(default_factory=list)
    pages: list = field(default_factory=list)

    def allow(self, fragment, source=""):
        """Expect console errors containing ``fragment`` and, if given, coming from a URL ending in ``source``."""
        self.allowed.append((fragment, source))

    def watch(self, page):
        self.pages.append(page)
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.errors.append(f"page error on {page.url}: {error}"))

    def _console(self, page, message):
        if message.type != "error":
            return
        source = message.location.get("url") or page.url
        if not any(fragment in message.text and source.endswith(end) for fragment, end in self.allowed):
            self.errors.append(f"console error on {page.url}: {message.text} ({source})")

    def assert_none(self):
        for page in self.pages:
            if not page.is_closed():
                page.evaluate("0")  # a round trip, so events already sent are delivered
        assert not self.errors, "the browser reported errors:\n" + "\n".join(self.errors)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail the test itself (not its teardown) when its pages logged errors."""
    result = yield
    errors = item.funcargs.get("browser_errors")
    if errors is not None:
        errors.assert_none()
    return result


@pytest.fixture
def browser_errors():
    return BrowserErrors()


@pytest.fixture
def open_page(browser, live_server, browser_errors):
    """``open_page(**context_options)``: a new page in a fresh context, pointed at the live server."""
    contexts = []

    def open_(viewport=MOBILE, **options):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport, locale="ar", timezone_id="Asia/Riyadh", **options
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        browser_errors.watch(page)
        return page

    yield open_
    for context in contexts:
        # Let late requests (lazy images) finish: the live server shares the test's
        # database connection, and must be idle before the database is flushed.
        for opened in context.pages:
            opened.wait_for_load_state("networkidle")
        context.close()


@pytest.fixture
def page(open_page):
    """A mobile-sized page (360×740), the way most readers arrive."""
    return open_page()


def screenshot(page, name):
    """Save a full-page screenshot to test-artifacts/screenshots/{name}.png."""
    # Full-page screenshots do not scroll, so lazy pictures below the fold would stay blank.
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(img => { img.loading = 'eager'; })")
    # Polled from here: wait_for_function builds its predicate with eval, which the pages' CSP forbids.
    deadline = time.monotonic() + 15
    while not page.evaluate("[...document.images].every(img => img.complete)"):
        assert time.monotonic() < deadline, "the page's pictures did not finish loading"
        page.wait_for_timeout(50)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


# --- the content -------------------------------------------------------------------------


def make_image(title, colours, size=(1600, 900)):
    """A wagtail Image drawn with Pillow: a gradient with a few shapes, like a news photo."""
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage, ImageDraw
    from wagtail.images.models import Image

    width, height = size
    start, end = colours
    picture = PILImage.new("RGB", size)
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        mix = y / height
        draw.line([(0, y), (width, y)], fill=tuple(round(a + (b - a) * mix) for a, b in zip(start, end)))
    draw.ellipse([width * 0.6, height * 0.15, width * 0.85, height * 0.6], fill=(250, 214, 120))
    draw.rectangle([0, height * 0.72, width, height], fill=(40, 44, 52))
    draw.polygon([(width * 0.1, height * 0.72), (width * 0.25, height * 0.35), (width * 0.4, height * 0.72)],
                 fill=(70, 80, 96))
    buffer = BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    return Image.objects.create(title=title, file=ImageFile(buffer, name=f"{title}.jpg"))


@dataclass
class NewsSite:
    home: object
    section: object
    article: object
    author: object
    tag_slug: str

    @property
    def urls(self):
        """The reader-facing pages checked by the layout tests, by name."""
        return {
            "home": "/",
            "section": self.section.url,
            "article": self.article.url,
            "author": self.author.get_absolute_url(),
            "tag": f"/tag/{self.tag_slug}/",
            "404": "/no-such-page/",
        }


@pytest.fixture
def news_site(live_server, django_db_serialized_rollback, home, section, publish_article):
    """A small but realistic site: the reference article, a breaking story and three sections.

    ``django_db_serialized_rollback`` restores Wagtail's root page and locale after the
    previous transactional test flushed the database.
    """
    from khabar.news.models import Agency, Author
    from khabar.news.site_tree import get_or_create_section

    hero = make_image("غزة", ((52, 94, 140), (196, 160, 120)))
    other = make_image("اقتصاد", ((30, 110, 90), (220, 200, 150)))
    agency = Agency.objects.create(name="وكالات", credit="وكالات")
    author = Author.objects.create(name="سارة الحسن", slug="sara", role="مراسلة الشؤون الدولية",
                                   bio="تغطي الشؤون الروسية والشرق الأوسط منذ عشر سنوات.")

    age = timedelta(hours=1)
    for section_title, titles in STORIES.items():
        parent = get_or_create_section(home, section_title)
        for index, title in enumerate(titles):
            age += timedelta(minutes=37)
            publish_article(
                title=title, parent=parent, age=age, hero_image=other if index % 2 == 0 else None,
                summary=f"{title}، في تفاصيل يرويها مراسلونا.",
                paragraphs=(f"{title}. هذا نص تجريبي للخبر يكفي لملء بطاقة في القائمة.",),
            )
    publish_article(
        title="عاجل: زلزال بقوة 5.8 درجات يضرب جنوب البلاد", summary="لا أنباء عن إصابات حتى الآن.",
        is_breaking=True, paragraphs=("ضرب زلزال بقوة 5.8 درجات على مقياس ريختر جنوب البلاد.",),
        age=timedelta(minutes=20),
    )

    article = publish_article(
        title=HEADLINE, dateline="موسكو", paragraphs=PARAGRAPHS[:3], hero_image=hero,
        summary="مباحثات روسية مع وفد من حماس حول المحتجزين الأجانب وإجلاء الرعايا الروس من القطاع.",
        hero_caption="مبنى وزارة الخارجية الروسية في موسكو", hero_credit="أرشيف",
    )
    article.agencies.add(agency)
    article.authors.add(author)
    article.tags.add(*TAGS)
    article.body.append(("quote", {"text": "نواصل الجهود للإفراج عن المحتجزين الأجانب.", "attribution": "الخارجية الروسية"}))
    article.body.append(("text", _rich(PARAGRAPHS[3:])))
    article.save_revision().publish()
    article.refresh_from_db()
    tag_slug = article.tags.get(name=TAGS[0]).slug
    return NewsSite(home=home, section=section, article=article, author=author, tag_slug=tag_slug)


def _rich(paragraphs):
    from wagtail.rich_text import RichText

    return RichText("".join(f"<p>{text}</p>" for text in paragraphs))
