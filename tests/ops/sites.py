"""Sites of their own for the operator's commands: a data folder, a database, ``khabar`` run as a process.

Migrating a new SQLite database takes ~20 s, so it is done once per test run and the file is copied.
"""

import atexit
import functools
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.instance import KHABAR, Instance

TITLES = ["انتخابات بلدية في صيدا", "ارتفاع أسعار القمح", "افتتاح معرض الكتاب"]
COMMENT = "تعليق محفوظ في النسخة الاحتياطية"
SUBSCRIBER = "subscriber@example.org"

SEED = f"""
import io
from django.core.files.images import ImageFile
from PIL import Image as Picture
from wagtail.images import get_image_model
from wagtail.rich_text import RichText
from khabar.comments.models import Comment, Status
from khabar.news.models import ArticlePage
from khabar.news.site_tree import ensure_home_page, get_or_create_section
from khabar.newsletter.models import Subscriber

section = get_or_create_section(ensure_home_page(), "العالم")
drawn = io.BytesIO()
Picture.new("RGB", (120, 80), (180, 40, 40)).save(drawn, "JPEG")
image = get_image_model().objects.create(title="صورة الخبر", file=ImageFile(drawn, name="backup-hero.jpg"))
for title in {TITLES!r}:
    page = ArticlePage(title=title, body=[("text", RichText("<p>فقرة الخبر.</p>"))], hero_image=image)
    section.add_child(instance=page)
    page.save_revision().publish()
Comment.objects.create(article=page, name="قارئ", email="reader@example.org", body={COMMENT!r}, status=Status.APPROVED)
Subscriber.objects.create(email={SUBSCRIBER!r}, status=Subscriber.Status.ACTIVE, daily=True)
"""

ADD_ARTICLE = """
from wagtail.rich_text import RichText
from khabar.news.models import ArticlePage, SectionPage
page = ArticlePage(title={title!r}, body=[("text", RichText("<p>فقرة.</p>"))])
SectionPage.objects.first().add_child(instance=page)
page.save_revision().publish()
"""

# What readers and the newsroom see: each live article through Django's test client, and the rows.
SEEN = """
import json
from django.test import Client
from wagtail.images import get_image_model
from khabar.comments.models import Comment
from khabar.news.models import ArticlePage
from khabar.newsletter.models import Subscriber

client = Client()
pages = {}
for page in ArticlePage.objects.live().order_by("path"):
    response = client.get(page.url)
    html = response.content.decode()
    pages[page.title] = [response.status_code, page.title in html, {COMMENT!r} in html]
print(json.dumps({
    "pages": pages,
    "comments": sorted(Comment.objects.values_list("body", "email", "status")),
    "subscribers": sorted(Subscriber.objects.values_list("email", "status")),
    "images": sorted(get_image_model().objects.values_list("title", "file")),
}, ensure_ascii=False))
""".replace("{COMMENT!r}", repr(COMMENT))


@functools.cache
def migrated_sqlite():
    """A migrated, otherwise empty SQLite database file, made once per test run."""
    folder = Path(tempfile.mkdtemp(prefix="khabar-migrated-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    Instance(folder, smtp_port=0, KHABAR_EMAIL_URL="locmem://").run("manage", "migrate", "--verbosity", "0")
    return folder / "khabar.sqlite3"


@functools.cache
def collected_static():
    """Static files collected once per test run: pages render through the hashed-names manifest."""
    folder = Path(tempfile.mkdtemp(prefix="khabar-static-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    Instance(folder, smtp_port=0, KHABAR_STATIC_ROOT=folder / "static").run(
        "manage", "collectstatic", "--noinput", "--verbosity", "0"
    )
    return folder / "static"


def new_site(data_dir, database_url=None, **settings):
    """A site in ``data_dir``, with khabar's tables: a copy of the migrated SQLite file, or a migrated
    PostgreSQL database when ``database_url`` names one."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    settings = {"KHABAR_EMAIL_URL": "locmem://", "KHABAR_TASKS_BACKEND": "immediate",
                "KHABAR_STATIC_ROOT": collected_static(), **settings}
    site = Instance(data_dir, smtp_port=0, database_url=database_url, **settings)
    if database_url:
        site.run("manage", "migrate", "--verbosity", "0")
    else:
        shutil.copyfile(migrated_sqlite(), site.database)
    return site


def khabar(site, *args, timeout=300):
    """``khabar ARGS`` in the site's environment, whatever its exit status."""
    return subprocess.run([*KHABAR, *args], env=site.environ, capture_output=True, text=True, timeout=timeout,
                          cwd=site.data_dir)


def seed(site):
    site.run("manage", "shell", "--no-imports", "-c", SEED)


def add_article(site, title):
    site.run("manage", "shell", "--no-imports", "-c", ADD_ARTICLE.format(title=title))


def seen(site):
    return json.loads(site.run("manage", "shell", "--no-imports", "-c", SEEN).strip().splitlines()[-1])


def media_files(site):
    """Every file under the site's media folder, with its bytes."""
    media = site.data_dir / "media"
    return {path.relative_to(media).as_posix(): path.read_bytes()
            for path in sorted(media.rglob("*")) if path.is_file()}
