"""``khabar import wordpress``: a whole WordPress site, from its export file, into khabar.

The export is read twice as a stream (``wxr``). Then, in this order: the authors (a khabar
author each, and an account with no password for the staff); each post and page in its own
transaction, with its section, tags, images and comments, and redirects from its old
addresses; the images no post used; the archive addresses of categories, tags and authors.
What was imported is remembered (``ImportedItem``), so a second run of the same file creates
nothing, a newer export of the same site updates the posts that changed, and a run that was
interrupted is finished by running it again.
"""

import copy
import hashlib
import json
import logging
import time
from itertools import islice
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import PageViewRestriction

from khabar.news import purge
from khabar.news.importing import ArticleWriter, NewArticle
from khabar.news.models import ArticlePage, InfoPage, SectionPage
from khabar.news.slugs import unicode_slug
from khabar.wordpress import content, links, wxr
from khabar.wordpress.comment_import import CommentImporter
from khabar.wordpress.media import ImageStore, MediaSource, MissingMedia
from khabar.wordpress.models import ImportedItem
from khabar.wordpress.report import Report

logger = logging.getLogger(__name__)

BATCH_SIZE = 50  # posts per transaction; a batch that fails is imported again post by post

# The category WordPress files a post under when nobody chose one; skipped when it holds no post.
DEFAULT_CATEGORY_SLUGS = {"uncategorized", "غير-مصنف"}
LIVE_STATUSES = {"publish", "private"}


def page_slug(wordpress_slug, title):
    """WordPress's slug as far as a Wagtail URL allows: letters, digits and hyphens ("؟" and tashkeel go)."""
    return unicode_slug(wordpress_slug or title, 255)


def batched(items, size):
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class WordPressImporter:
    def __init__(self, path, media="", dry_run=False, time_zone="", progress=None):
        self.path = path
        self.media = media
        self.dry_run = dry_run
        self.time_zone = time_zone
        self.progress = progress or (lambda done, total: None)
        self.report = Report(dry_run=dry_run)
        self.started_at = timezone.now()

    # --- the run ---------------------------------------------------------------
    def run(self):
        started = time.monotonic()
        try:
            self.export = wxr.scan(self.path)
            self.source = MediaSource(self.media)
            self.zone = self.site_zone()
        except (wxr.WXRError, MissingMedia, ValueError) as error:
            self.report.fatal = str(error)
            return self.report
        except FileNotFoundError:  # a mistyped path: a reason, not a traceback (the admin's run would hang "running")
            self.report.fatal = f"ملف التصدير غير موجود: {self.path}"
            return self.report
        except OSError as error:
            self.report.fatal = f"تعذّرت قراءة ملف التصدير {self.path}: {error.strerror or error}"
            return self.report
        if self.export.error:
            self.report.problem(str(self.export.error))
        self.site = (self.export.base_url or self.export.title)[:200]
        if self.dry_run:
            with transaction.atomic():
                self.import_all()
                transaction.set_rollback(True)
        else:
            self.import_all()
            purge.site_changed()
        self.report.seconds = time.monotonic() - started
        return self.report

    def site_zone(self):
        """The old site's time zone: as asked, else as its dated posts show, else khabar's own."""
        if self.time_zone:
            try:
                return ZoneInfo(self.time_zone)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"منطقة زمنية غير معروفة: {self.time_zone}") from None
        return self.export.utc_offset() or timezone.get_default_timezone()

    def local_time(self, naive):
        return naive.replace(tzinfo=self.zone) if naive else None

    def import_all(self):
        self.load_memory()
        self.redirects = links.RedirectWriter(self.dry_run)
        self.comments = CommentImporter(self)
        self.used_tags = {}  # nicename -> name
        tags_before = Tag.objects.count()
        with transaction.atomic():
            self.import_authors()
            # Every tag of the header, in one query, even those only trashed posts used: WordPress had them.
            self.writer.tag_ids({term.name[:100] for term in self.export.tags.values()})
            self.save_memory()
        total, done = self.export.post_total, 0
        for batch in batched(self.readable_posts(), BATCH_SIZE):
            self.import_batch(batch)
            done += len(batch)
            self.progress(done, total)
        with transaction.atomic():
            self.import_unused_images()
            self.redirect_archives()
            self.redirects.flush()
            self.save_memory()
        self.count_images_and_redirects()
        created = Tag.objects.count() - tags_before
        names = {term.name[:100] for term in self.export.tags.values()} | set(self.used_tags.values())
        self.report["tag"].created, self.report["tag"].unchanged = created, max(len(names) - created, 0)

    def readable_posts(self):
        """The export's posts up to where it stops being readable (the report says where)."""
        try:
            yield from wxr.posts(self.path)
        except wxr.WXRError as error:
            if str(error) not in self.report.problems:  # scan() found the same break first
                self.report.problem(str(error))

    def load_memory(self):
        """What earlier runs imported, and fresh lookups (after a failed post, nothing cached may outlive its rollback)."""
        self.memory = {
            (kind, wp_id): (object_id, fingerprint)
            for kind, wp_id, object_id, fingerprint in ImportedItem.objects.filter(site=self.site).values_list(
                "kind", "wp_id", "object_id", "fingerprint"
            )
        }
        self.unsaved = []  # ImportedItems to write with the posts that made them
        self.new_articles = []  # (post, NewArticle, go-live time, fingerprint), written together by write_new_articles()
        self.writer = ArticleWriter(index=False)
        if hasattr(self, "images"):
            self.images.forget()
        else:
            self.images = ImageStore(self.export, self.source, self.remember, self.recall, self.dry_run)
        self.sections = {}  # category nicename -> SectionPage

    def import_batch(self, batch):
        """A batch of posts in one transaction, the new articles written together (the fast way).

        If anything in it fails, the batch is rolled back and imported again one post at a
        time, each in its own savepoint, so that only the broken post is left out (and named).
        """
        before = self.checkpoint()
        try:
            with transaction.atomic():
                for post in batch:
                    self.import_item(post)
                self.finish_posts()
            return
        except Exception:
            logger.warning("WordPress import: a batch failed; importing its posts one by one", exc_info=True)
            self.rewind(before)
        for post in batch:
            self.import_one(post)

    def import_one(self, post):
        before = self.checkpoint()
        try:
            with transaction.atomic():
                self.import_item(post)
                self.finish_posts()
        except Exception as error:  # one broken post must not stop the rest of the archive
            logger.exception("WordPress import: %s failed", post.label())
            self.rewind(before)
            self.report.problem(f"تعذّر استيراد {post.label()}: {error}")
            self.report["page" if post.type == "page" else "post"].skip("خطأ أثناء الاستيراد")

    def import_item(self, post):
        if post.type == "page":
            self.import_page(post)
        elif post.type == "post":
            self.import_post(post)
        else:
            self.report["post"].skip(f"نوع محتوى لا ينقل: {post.type}")

    def finish_posts(self):
        """Write the new articles gathered so far, their comments, redirects and memory; index them."""
        written = self.write_new_articles()
        self.redirects.flush()
        self.save_memory()
        self.writer.index(written)

    def checkpoint(self):
        """What a rolled-back batch or post must not leave behind: counts, problems, caches."""
        return copy.deepcopy(self.report), self.images.counts(), (self.redirects.created, self.redirects.updated)

    def rewind(self, state):
        report, image_counts, (self.redirects.created, self.redirects.updated) = state
        self.report = report
        self.images.set_counts(image_counts)
        self.redirects.pending.clear()
        self.load_memory()  # nothing cached may outlive the rollback: ids of rows that are gone

    # --- memory of earlier runs -----------------------------------------------------
    def recall(self, kind, wp_id):
        found = self.memory.get((kind, wp_id))
        return found[0] if found else None

    def remember(self, kind, wp_id, object_id, fingerprint=""):
        if self.dry_run:
            return
        self.unsaved.append(ImportedItem(site=self.site, kind=kind, wp_id=wp_id, object_id=object_id, fingerprint=fingerprint))
        self.memory[(kind, wp_id)] = (object_id, fingerprint)

    def save_memory(self):
        rows, self.unsaved = self.unsaved, []
        ImportedItem.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["site", "kind", "wp_id"], update_fields=["object_id", "fingerprint"]
        )

    # --- authors -----------------------------------------------------------------------
    def import_authors(self):
        """A khabar author for each WordPress author, and a staff account with no usable password.

        The account lets their replies to readers show as the newsroom's; to sign in, they ask
        for a new password from the admin's login page (the reset mail is their invitation).
        """
        tally = self.report["author"]
        User = get_user_model()
        editors = Group.objects.filter(name="Editors").first()
        for author in self.export.authors.values():
            if self.recall("author", author.id):
                tally.unchanged += 1
                continue
            name = author.display_name or author.login
            self.writer.author(name)
            user = User.objects.filter(username=author.login[:150]).first()
            if user is None:
                user = User(username=author.login[:150], email=author.email, first_name=name[:150])
                user.set_unusable_password()
                user.save()
                if editors:
                    user.groups.add(editors)
            tally.created += 1
            self.remember("author", author.id, user.pk)

    def author_name(self, post):
        author = self.export.authors.get(post.creator)
        if author is None and post.creator:
            self.report.problem(f"{post.label()}: كاتبه «{post.creator}» غير مذكور في رأس الملف، فأُضيف كاتباً باسمه.")
            self.export.authors[post.creator] = author = wxr.Author(id="", login=post.creator, display_name=post.creator)
        return (author.display_name or author.login) if author else ""

    # --- sections --------------------------------------------------------------------
    def section_for(self, post):
        """The section of a post's deepest category, created with its parents on first use."""
        categories = [self.export.categories.get(n) or wxr.Term("category", n, wxr.unquote(n)) for n in post.categories]
        chosen = [c for c in categories if c.slug not in DEFAULT_CATEGORY_SLUGS] or categories
        if not chosen:
            return self.writer.section("أخبار")
        deepest = max(chosen, key=lambda term: len(self.ancestry(term)))
        return self.section(deepest)

    def ancestry(self, term):
        chain, seen = [term], {term.nicename}
        while chain[-1].parent and chain[-1].parent in self.export.categories and chain[-1].parent not in seen:
            seen.add(chain[-1].parent)
            chain.append(self.export.categories[chain[-1].parent])
        return chain

    def section(self, term):
        if term.nicename in self.sections:
            return self.sections[term.nicename]
        if term.parent and term.parent in self.export.categories and term.parent != term.nicename:
            parent = self.section(self.export.categories[term.parent])
        else:
            parent = self.writer.home
        slug = page_slug(term.slug, term.name)
        section = SectionPage.objects.child_of(parent).filter(slug=slug).first() or (
            SectionPage.objects.child_of(parent).filter(title=term.name).first()
        )
        if section is None:
            section = SectionPage(
                title=term.name[:255], slug=slug, intro=term.description, show_in_menus=parent == self.writer.home
            )
            parent.add_child(instance=section)
            self.writer.tree.forget(parent)
            if not self.dry_run:
                section.save_revision().publish()
            self.report["section"].created += 1
        else:
            self.report["section"].unchanged += 1
        self.sections[term.nicename] = section
        if parent == self.writer.home:
            self.writer.sections[section.title] = section
        return section

    # --- posts ----------------------------------------------------------------------------
    def import_post(self, post):
        """Revise or leave the article of ``post``, or gather a new one for write_new_articles()."""
        tally = self.report["post"]
        known = self.recall("post", post.id)
        page = ArticlePage.objects.filter(pk=known).first() if known else None
        if post.status == "trash":
            if page is not None and page.live:
                page.unpublish(log_action=False)
                tally.updated += 1
            else:
                tally.skip("في سلة المهملات")
            return
        if post.status in ("auto-draft", "inherit"):
            tally.skip("مسودة تلقائية")
            return
        fingerprint = self.fingerprint(post)
        if page is not None and self.memory[("post", post.id)][1] == fingerprint:
            tally.unchanged += 1
        elif page is not None:
            self.update_article(page, post, content.convert(post.content, self.export.base_url))
            self.remember("post", post.id, page.pk, fingerprint)
            tally.updated += 1
        else:
            self.new_articles.append((post, *self.new_article(post), fingerprint))
            tally.created += 1
            return  # its comments and redirects follow once it is written (write_new_articles)
        self.comments.import_for(post, page)
        self.redirect_post(post, page)

    def fingerprint(self, post):
        fields = [post.title, post.content, post.excerpt, post.status, post.password, post.sticky,
                  post.comment_status, post.post_name, str(post.date_gmt or post.date), str(post.modified_gmt),
                  post.categories, post.tags, post.creator, sorted(post.meta.items())]
        return hashlib.sha256(json.dumps(fields, ensure_ascii=False, default=str).encode()).hexdigest()

    def article_fields(self, page, post, body):
        """Fill ``page``'s content from ``post`` (the same for a new article and a revision of one)."""
        hero = self.images.image(self.images.attachment_for(attachment_id=post.meta.get("_thumbnail_id", "")))
        attachment = self.export.attachments.get(post.meta.get("_thumbnail_id", ""))
        page.title = post.title[:255] or "بلا عنوان"
        page.draft_title = page.title
        page.summary = content.plain_text(post.excerpt)
        page.dateline = body.dateline[:80]
        page.body = body.stream_data(lambda figure: self.figure_image(figure, hero))
        page.hero_image = hero
        page.hero_caption = (attachment.caption if hero and attachment else "")[:250]
        page.source_name = post.meta.get("source_name", "").strip()[:120]
        source_url = post.meta.get("source_url", "").strip()
        page.source_url = source_url if source_url.startswith(("http://", "https://")) and len(source_url) <= 500 else ""
        page.is_pinned = post.sticky
        page.comments_open = post.comment_status == "open"

    def figure_image(self, figure, hero):
        attachment = self.images.attachment_for(figure.src, figure.attachment_id)
        if attachment is None:
            return None  # an image from elsewhere on the web: not re-hosted
        image = self.images.image(attachment)
        return None if image is not None and image == hero else image  # the hero is shown once, on top

    def new_article(self, post):
        """A NewArticle for ``post`` (not saved yet) and the time it is scheduled to go live, if any."""
        body = content.convert(post.content, self.export.base_url)
        page = ArticlePage(slug=page_slug(post.slug, post.title) if post.slug else "")
        self.article_fields(page, post, body)
        go_live_at = self.apply_status(page, post)
        self.used_tags.update(dict.fromkeys(post.tags))
        article = NewArticle(
            page=page,
            section=self.section_for(post),
            authors=[name] if (name := self.author_name(post)) else [],
            credits=[body.credit] if body.credit else [],
            tags=[name for _, name in dict.fromkeys(post.tags)],
        )
        return article, go_live_at

    def write_new_articles(self):
        """Write the gathered new articles in one go, then what hangs on each; returns their pages."""
        gathered, self.new_articles = self.new_articles, []
        pages = self.writer.write([article for _, article, _, _ in gathered]) if gathered else []
        for post, article, go_live_at, fingerprint in gathered:
            page = article.page
            if go_live_at:
                page.save_revision(approved_go_live_at=go_live_at, clean=False)
            if post.password or post.status == "private":  # a new page has no restriction to remove
                self.restrict(page, post)
            self.remember("post", post.id, page.pk, fingerprint)
            self.comments.import_for(post, page)
            self.redirect_post(post, page)
        return pages

    def update_article(self, page, post, body):
        """A newer version of an imported post: a new revision, published if the post is live."""
        self.article_fields(page, post, body)
        page.tags.set([name for _, name in dict.fromkeys(post.tags)])
        self.used_tags.update(dict.fromkeys(post.tags))
        go_live_at = self.schedule(post)
        revision = page.save_revision(approved_go_live_at=go_live_at, clean=False, log_action=True)
        if post.status in LIVE_STATUSES:
            revision.publish(log_action=True)
        elif page.live and not go_live_at:
            page.unpublish(log_action=True)
        self.restrict(page, post)

    def published_at(self, post):
        return post.date_gmt or self.local_time(post.date) or self.started_at

    def schedule(self, post):
        """When a scheduled post goes live; None if it is not scheduled or its time has passed."""
        moment = self.published_at(post)
        return moment if post.status == "future" and moment > timezone.now() else None

    def apply_status(self, page, post):
        """Live or draft as the post was; returns the go-live time of a post scheduled for later."""
        published = self.published_at(post)
        modified = post.modified_gmt or self.local_time(post.modified) or published
        go_live_at = self.schedule(post)
        page.live = post.status in LIVE_STATUSES or (post.status == "future" and go_live_at is None)
        page.has_unpublished_changes = not page.live
        page.latest_revision_created_at = max(published, modified)
        if page.live:
            page.first_published_at = published
            page.last_published_at = max(published, modified)
        page.go_live_at = go_live_at
        return go_live_at

    def restrict(self, page, post):
        """Private posts: staff only. Password-protected posts: the reader types WordPress's password."""
        restriction = PageViewRestriction.objects.filter(page=page).first()
        if post.password:
            wanted = {"restriction_type": PageViewRestriction.PASSWORD, "password": post.password[:255]}
        elif post.status == "private":
            wanted = {"restriction_type": PageViewRestriction.GROUPS, "password": ""}
        else:
            if restriction is not None:
                restriction.delete()
            return
        if restriction is None:
            restriction = PageViewRestriction.objects.create(page=page, **wanted)
        else:
            for name, value in wanted.items():
                setattr(restriction, name, value)
            restriction.save()
        if wanted["restriction_type"] == PageViewRestriction.GROUPS:
            restriction.groups.set(self.staff_groups())

    def staff_groups(self):
        """Every group whose members may use the admin: the newsroom."""
        if not hasattr(self, "_staff_groups"):
            access = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
            self._staff_groups = list(Group.objects.filter(permissions__in=access).distinct())
        return self._staff_groups

    # --- pages (من نحن، اتصل بنا) -------------------------------------------------------
    def import_page(self, post):
        tally = self.report["page"]
        if post.status in ("trash", "auto-draft", "inherit"):
            tally.skip("في سلة المهملات" if post.status == "trash" else "مسودة تلقائية")
            return
        known = self.recall("page", post.id)
        page = InfoPage.objects.filter(pk=known).first() if known else None
        fingerprint = self.fingerprint(post)
        if page is not None and self.memory[("page", post.id)][1] == fingerprint:
            tally.unchanged += 1
        else:
            creating = page is None
            page = page or InfoPage(slug=page_slug(post.slug, post.title))
            page.title = page.draft_title = post.title[:255] or "بلا عنوان"
            body = content.convert(post.content, self.export.base_url)  # only for a new or changed page
            page.body = body.stream_data(lambda figure: self.figure_image(figure, None))
            if creating:
                page.live = post.status in LIVE_STATUSES
                if InfoPage.objects.child_of(self.writer.home).filter(slug=page.slug).exists():
                    page.slug = f"{page.slug}-{post.id}"
                self.writer.home.add_child(instance=page)
                self.writer.tree.forget(self.writer.home)
            else:
                revision = page.save_revision(clean=False, log_action=True)
                if post.status in LIVE_STATUSES:
                    revision.publish(log_action=True)
            self.restrict(page, post)
            self.remember("page", post.id, page.pk, fingerprint)
            tally.created += creating
            tally.updated += not creating
        self.redirect_post(post, page, query_key="page_id")

    # --- old addresses ---------------------------------------------------------------------
    def redirect_post(self, post, page, query_key="p"):
        base = self.export.base_url
        path = links.old_path(post.link, base)
        new_path = page.url_path[len(self.writer.home.url_path) - 1:]
        if path and "?" not in path and wxr.unquote(path).rstrip("/") != new_path.rstrip("/"):
            self.redirects.to_page(path, page)
            self.redirects.to_page(f"{path.rstrip('/')}/feed/", page)
        self.redirects.to_page(links.query_path(query_key, post.id), page)
        if query_key != "p":
            self.redirects.to_page(links.query_path("p", post.id), page)

    def redirect_archives(self):
        """Category, tag and author archives (and their feeds) of the old site, to khabar's pages."""
        for nicename, section in self.sections.items():
            chain = [term.nicename for term in reversed(self.ancestry(self.export.categories[nicename]))] \
                if nicename in self.export.categories else [nicename]
            for path in {f"/category/{nicename}/", f"/category/{'/'.join(chain)}/"}:
                self.redirects.to_page(path, section)
                self.redirects.to_url(f"{path}feed/", f"{section.url}feed/")
        tags = {t.name: t.slug for t in Tag.objects.filter(name__in=set(self.used_tags.values()))}
        for nicename, name in self.used_tags.items():
            slug = tags.get(name)
            if slug and wxr.unquote(nicename) != slug:
                self.redirects.to_url(f"/tag/{nicename}/", f"/tag/{slug}/")
            if slug:
                self.redirects.to_url(f"/tag/{nicename}/feed/", f"/tag/{slug}/")
        for author in self.export.authors.values():
            khabar_author = self.writer.authors.get(author.display_name or author.login)
            if khabar_author is not None and khabar_author.pk:
                for path in (f"/author/{author.login}/", f"/author/{author.login}/feed/"):
                    self.redirects.to_url(path, khabar_author.get_absolute_url())

    def import_unused_images(self):
        """Images no post showed still come across: their old URLs may be linked from anywhere."""
        for attachment in self.export.attachments.values():
            image = self.images.image(attachment)
            if image is None:
                continue
            url = image.file.url
            folder = attachment.relative_path.rsplit("/", 1)[0] + "/" if "/" in attachment.relative_path else ""
            for name in [attachment.relative_path, *(folder + size for size in attachment.sizes)]:
                self.redirects.to_url(f"/wp-content/uploads/{name}", url)
            self.redirects.to_url(links.query_path("attachment_id", attachment.id), url)

    def count_images_and_redirects(self):
        images = self.report["image"]
        images.created, images.unchanged = self.images.created, self.images.reused + self.images.recalled
        for attachment, message in self.images.problems:
            images.skip("لم يُعثر على الملف أو لم يكن صورة")
            self.report.problem(f"الصورة {attachment.id} ({attachment.relative_path or attachment.url}): {message}")
        self.report["redirect"].created = self.redirects.created
        self.report["redirect"].updated = self.redirects.updated

