"""``khabar import wordpress FILE.xml`` as an operator runs it: a real process on a khabar of its own.

The database is migrated once for the module and copied for each test, so each command
starts from the same empty site.
"""

import shutil
import subprocess
from io import BytesIO

import pytest
from PIL import Image

from tests.instance import KHABAR, Instance
from tests.wordpress import builder

NO_SMTP = 9  # nothing is mailed by an import; the discard port keeps a stray mail from going anywhere

# What an import writes, by table; a dry run must leave every count as it was.
WRITTEN_TABLES = (
    "wagtailcore_page", "wagtailcore_revision", "news_articlepage", "news_sectionpage", "news_author",
    "comments_comment", "wagtailimages_image", "wagtailredirects_redirect", "wordpress_importeditem",
    "auth_user", "taggit_tag",
)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("migrated")
    Instance(folder, NO_SMTP).run("manage", "migrate", "--verbosity", "0", timeout=900)
    return folder / "khabar.sqlite3"


@pytest.fixture
def khabar(tmp_path, migrated):
    data_dir = tmp_path / "khabar"
    data_dir.mkdir()
    shutil.copy(migrated, data_dir / "khabar.sqlite3")
    return Instance(data_dir, NO_SMTP)


def import_wordpress(khabar, *args):
    return subprocess.run(
        [*KHABAR, "import", "wordpress", *map(str, args)], env=khabar.environ, capture_output=True, text=True,
        timeout=600, cwd=khabar.data_dir,
    )


def counts(khabar):
    return {table: khabar.query(f"SELECT COUNT(*) FROM {table}")[0][0] for table in WRITTEN_TABLES}


def report(stdout):
    """The report's table on stdout, as {kind: [new, updated, unchanged, skipped]}."""
    rows = {}
    for line in stdout.splitlines():
        cells = line.split("\t")
        if len(cells) == 5 and cells[0] != "النوع":
            rows[cells[0]] = cells[1:]
    return rows


@pytest.fixture
def export(tmp_path):
    """Two posts, the first with a featured photo (in an uploads folder beside the file) and two comments."""
    uploads = tmp_path / "uploads"
    (uploads / "2018" / "05").mkdir(parents=True)
    picture = BytesIO()
    Image.new("RGB", (64, 40), (40, 90, 140)).save(picture, format="JPEG")
    (uploads / "2018" / "05" / "amman.jpg").write_bytes(picture.getvalue())
    photo = (
        "<item><title>صورة عمّان</title><link>x</link><wp:post_id>50</wp:post_id>"
        "<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>"
        f"<wp:attachment_url>{builder.BASE}/wp-content/uploads/2018/05/amman.jpg</wp:attachment_url></item>"
    )
    text = builder.export(
        builder.post(
            10, "وزير الخارجية يصل إلى عمّان", slug="wazir-amman", meta=[("_thumbnail_id", "50")],
            comments=[builder.comment(1, "تعليق أول"), builder.comment(2, "رد على التعليق", parent=1)],
        ),
        builder.post(11, "افتتاح معرض الكتاب الدولي"),
        photo,
    )
    return builder.write(tmp_path, text), uploads


def test_a_good_export_imports_and_prints_the_report(khabar, export):
    path, uploads = export
    result = import_wordpress(khabar, path, "--media", uploads)
    assert result.returncode == 0, result.stderr
    rows = report(result.stdout)
    assert rows["الأخبار"] == ["2", "0", "0", "0"]
    assert rows["التعليقات"] == ["2", "0", "0", "0"]
    assert rows["الصور"] == ["1", "0", "0", "0"]
    assert rows["الأقسام"] == ["1", "0", "0", "0"]
    assert int(rows["التحويلات"][0]) >= 2  # at least the old permalink and ?p=10
    assert "تجربة فقط" not in result.stdout
    assert "Traceback" not in result.stderr

    titles = khabar.query(
        "SELECT p.title FROM wagtailcore_page p JOIN news_articlepage a ON a.page_ptr_id = p.id"
        " WHERE p.live ORDER BY p.title"
    )
    assert titles == [("افتتاح معرض الكتاب الدولي",), ("وزير الخارجية يصل إلى عمّان",)]
    assert khabar.query("SELECT COUNT(*) FROM news_articlepage WHERE hero_image_id IS NOT NULL") == [(1,)]
    old_link = khabar.query("SELECT COUNT(*) FROM wagtailredirects_redirect WHERE old_path = ?", "/2018/05/wazir-amman")
    assert old_link == [(1,)]
    assert (khabar.data_dir / "media" / "original_images").is_dir()

    # The same file again: every post is recognised, nothing new is written.
    before = counts(khabar)
    again = import_wordpress(khabar, path, "--media", uploads)
    assert again.returncode == 0, again.stderr
    assert report(again.stdout)["الأخبار"] == ["0", "0", "2", "0"]
    assert counts(khabar) == before


def test_a_dry_run_reports_but_writes_nothing(khabar, export):
    path, uploads = export
    before = counts(khabar)
    result = import_wordpress(khabar, path, "--media", uploads, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "تجربة فقط (--dry-run): لم يُكتب شيء." in result.stdout
    rows = report(result.stdout)
    assert rows["الأخبار"][0] == "2" and rows["التعليقات"][0] == "2"
    assert counts(khabar) == before
    media = khabar.data_dir / "media"
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("page.xml", "<!DOCTYPE html>\n<html lang='ar'><body><p>صفحة ويب</p></body></html>", "ليس تصديراً من ووردبريس"),
        ("notes.xml", "ملاحظات عن الموقع القديم، لا تصدير فيها.", "ليس ملف XML"),
        ("feed.xml", '<?xml version="1.0"?><rss version="2.0"><channel><title>خلاصة</title></channel></rss>',
         "wp:wxr_version"),
    ],
    ids=["html", "plain-text", "rss-feed"],
)
def test_a_file_that_is_not_an_export_exits_1_with_the_reason(khabar, tmp_path, name, content, reason):
    path = builder.write(tmp_path, content, name=name)
    before = counts(khabar)
    result = import_wordpress(khabar, path)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "لم يُستورد شيء: " in result.stdout and reason in result.stdout
    assert reason in result.stderr
    assert "Traceback" not in result.stderr
    assert counts(khabar) == before


def test_a_file_that_does_not_exist_exits_1_with_the_reason(khabar, tmp_path):
    result = import_wordpress(khabar, tmp_path / "no-such-export.xml")
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert "ملف التصدير غير موجود" in result.stdout and "no-such-export.xml" in result.stdout
    assert "ملف التصدير غير موجود" in result.stderr
