"""A commenter's e-mail is seen by moderators only: no page, feed, sitemap, JSON-LD, API or log line shows it.

And a reader's data requests: ``khabar comments export EMAIL`` and ``khabar comments erase EMAIL``.
"""

import json
import re
from io import StringIO
from urllib.parse import quote, urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from khabar.comments.models import Comment, Status
from khabar.news.models import Author

from .conftest import make_comment

pytestmark = pytest.mark.django_db

COMMENTERS = [
    ("سلمى", "salma.secret@example.org"),
    ("Omar", "omar.hidden+news@mail.example.net"),
    ("نادر", "nader.private@example.com"),
]
MODERATOR_EMAIL = "desk@newsroom.example"
LINK = re.compile(r'(?:href|src|action|data-token-url)="([^"#]*)')


def leaks(text, addresses):
    """The addresses (or their local parts, or their URL-encoded forms) found in ``text``."""
    found = []
    lowered = text.lower()
    for address in addresses:
        local = address.split("@")[0]
        for form in (address, quote(address), quote(address, safe=""), local, address.replace("@", "&#64;")):
            if form.lower() in lowered:
                found.append(form)
    return found


@pytest.fixture
def commented_site(client, article, publish_article, moderator, post_comment, settings, django_capture_on_commit_callbacks):
    """An article with approved, pending and spam comments, replies and a staff reply, posted through the form."""
    settings.KHABAR_COMMENTS_FLOOD_SECONDS = 0
    settings.KHABAR_COMMENTS_BLOCKLIST = ["قمار"]
    author = Author.objects.create(name="سلمى الخطيب", slug="salma-k")
    article.authors.add(author)
    article.tags.add("الزراعة")
    article.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        for n, (name, email) in enumerate(COMMENTERS):
            post_comment(name=name, email=email, url=f"https://site{n}.example/", body=f"رأي {name} في الخطة",
                         remote_addr=f"198.51.100.{n + 1}")
        Comment.objects.all().set_status(Status.APPROVED)
        first = Comment.objects.order_by("pk").first()
        for n, (name, email) in enumerate(COMMENTERS):
            post_comment(name=name, email=email, body=f"رد {name}", parent=first.pk, remote_addr=f"198.51.100.{n + 1}")
        post_comment(name="مزعج", email="spammer.addr@example.org", body="قمار", remote_addr="198.51.100.50")
        post_comment(name="جديد", email="newcomer.addr@example.org", body="أول مرة", remote_addr="198.51.100.60")
        client.force_login(moderator)
        post_comment(name="فريق خبر", email=MODERATOR_EMAIL, body="شكراً للنقاش", parent=first.pk)
        client.logout()
    assert Comment.objects.filter(status=Status.APPROVED).count() == 7
    return article


def crawl(client, seeds, limit=400):
    """Fetch the seeds and every same-site link they lead to (HTML links, sitemap <loc>s, feed links)."""
    seen, queue, pages = set(), list(seeds), {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc not in ("", "127.0.0.1:8000", "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in seen or path.startswith(("/admin", "/static/", "/media/", "/documents/")):
            continue
        seen.add(path)
        response = client.get(path)
        text = response.content.decode("utf-8", "replace")
        headers = "\n".join(f"{k}: {v}" for k, v in response.items())
        pages[path] = (response.status_code, text + "\n" + headers)
        if response.status_code != 200:
            continue
        queue.extend(urljoin(path, link.replace("&amp;", "&")) for link in LINK.findall(text))
        if "xml" in response.get("Content-Type", ""):
            try:
                root = ElementTree.fromstring(response.content)
            except ElementTree.ParseError:
                continue
            queue.extend(element.text.strip() for element in root.iter() if element.tag.split("}")[-1] in ("loc", "link") and element.text)
    return pages


def test_no_public_url_shows_a_commenters_email(client, commented_site, section):
    article = commented_site
    first = Comment.objects.order_by("pk").first()
    seeds = [
        "/", section.url, f"{section.url}feed/", article.url, f"{article.url}?cpage=2",
        f"{article.url}?comment=pending", f"{article.url}?comment=approved", f"{article.url}?replytocom={first.pk}",
        "/author/salma-k/", "/tag/الزراعة/", "/feed/", "/sitemap.xml", "/news-sitemap.xml", "/robots.txt",
        "/no-such-page/", f"/comments/token/{article.pk}/", "/search/?q=الخطة",
    ]
    pages = crawl(client, seeds)
    assert len(pages) >= 15
    for path in ("/", article.url, "/feed/", "/sitemap.xml", "/sitemap-articles.xml", "/news-sitemap.xml", "/robots.txt"):
        assert pages[path][0] == 200, path
    assert pages["/no-such-page/"][0] == 404
    addresses = [email for _, email in COMMENTERS] + ["spammer.addr@example.org", "newcomer.addr@example.org", MODERATOR_EMAIL]
    leaked = {path: leaks(body, addresses) for path, (_, body) in pages.items()}
    assert {path: found for path, found in leaked.items() if found} == {}
    # The comments are on the page, so the crawl saw them: only the addresses are missing.
    assert "رأي سلمى في الخطة" in pages[article.url][1] and "شكراً للنقاش" in pages[article.url][1]


def test_article_jsonld_carries_no_commenter_data(client, commented_site):
    html = client.get(commented_site.url).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    text = json.dumps(data, ensure_ascii=False)
    assert not leaks(text, [email for _, email in COMMENTERS])
    assert "سلمى" not in text.replace("سلمى الخطيب", ""), "commenters are not authors"


def test_posting_logs_no_email(client, article, post_comment, log_lines, settings, moderator, django_capture_on_commit_callbacks):
    settings.KHABAR_COMMENTS_FLOOD_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(email="logged.never@example.org")
        post_comment(email="logged.never@example.org", homepage="bot")
        post_comment(email="logged.never@example.org", headers={"HTTP_ORIGIN": "https://evil.example"})
        post_comment(email="logged.never@example.org", body="x" * 6000)
    assert log_lines, "the test saw the log"
    assert not [line for line in log_lines if "logged.never" in line]


class TestExport:
    def test_export_prints_every_comment_of_that_email_as_json(self, article, publish_article):
        other_article = publish_article(title="خبر ثانٍ")
        mine = [
            make_comment(article, name="سلمى", email="salma.secret@example.org", body="الأول", ip_hash="ab" * 32),
            make_comment(other_article, name="سلمى", email="salma.secret@example.org", body="الثاني",
                         status=Status.PENDING),
        ]
        make_comment(article, name="غيري", email="someone.else@example.org", body="ليس لي")
        out = StringIO()
        call_command("comments_export", "Salma.Secret@Example.org", stdout=out)
        data = json.loads(out.getvalue())
        assert data["email"] == "salma.secret@example.org"
        assert [c["comment"] for c in data["comments"]] == ["الأول", "الثاني"]
        assert data["comments"][0]["ip_address_hash"] == "ab" * 32
        assert data["comments"][1]["status"] == "pending"
        assert data["comments"][0]["article_url"].endswith(article.url)
        assert {c["id"] for c in data["comments"]} == {c.pk for c in mine}
        assert "someone.else" not in out.getvalue()

    def test_export_of_an_unknown_email_is_empty(self, db):
        out = StringIO()
        call_command("comments_export", "nobody@example.org", stdout=out)
        assert json.loads(out.getvalue()) == {"email": "nobody@example.org", "comments": []}


class TestErase:
    def test_erase_deletes_their_comments_and_keeps_other_replies(self, client, article, frontend_cache,
                                                                  django_capture_on_commit_callbacks):
        theirs = make_comment(article, name="سلمى", email="salma.secret@example.org", body="كلامي")
        reply = make_comment(article, name="نادر", email="nader@example.com", body="ردي على سلمى", parent=theirs)
        ModelLogEntry.objects.log_action(theirs, "wagtail.edit")
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("comments_erase", "salma.secret@example.org", stdout=out)
        assert "1 comment(s) deleted" in out.getvalue()
        assert not Comment.objects.filter(email="salma.secret@example.org").exists()
        assert not ModelLogEntry.objects.filter(object_id=str(theirs.pk), content_type__app_label="comments").exists()
        reply.refresh_from_db()
        assert reply.parent is None
        html = client.get(article.url).content.decode()
        assert "كلامي" not in html and "ردي على سلمى" in html
        assert frontend_cache.purged, "the page that showed the comment is purged"

    def test_dry_run_only_counts(self, article):
        make_comment(article, email="salma.secret@example.org")
        out = StringIO()
        call_command("comments_erase", "salma.secret@example.org", "--dry-run", stdout=out)
        assert "1 comment(s) would be deleted" in out.getvalue()
        assert Comment.objects.count() == 1

    def test_khabar_command_forwards_export_and_erase(self, article, capsys, monkeypatch):
        from khabar import cli

        # ``khabar manage`` closes the database connections when it ends, as a command line should;
        # inside the test's transaction the forwarded command runs through call_command instead.
        monkeypatch.setattr(cli, "manage", lambda argv: call_command(*argv))
        make_comment(article, email="salma.secret@example.org", body="عبر الأمر")
        cli.main(["comments", "export", "salma.secret@example.org"])
        assert json.loads(capsys.readouterr().out)["comments"][0]["comment"] == "عبر الأمر"
        cli.main(["comments", "erase", "salma.secret@example.org", "--dry-run"])
        assert "1 comment(s) would be deleted" in capsys.readouterr().out
        cli.main(["comments", "erase", "salma.secret@example.org"])
        assert "1 comment(s) deleted" in capsys.readouterr().out
        assert not Comment.objects.exists()
