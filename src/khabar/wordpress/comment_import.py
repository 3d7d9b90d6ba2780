"""A post's WordPress comments as khabar comments: threading, author, date and status kept.

Comments are written with ``bulk_create``, parents before replies, so an import neither mails
the moderators about an archive's old pending comments nor purges a page per comment (the
import purges the site once at the end). E-mail addresses are stored as the comments app
stores them, so ``khabar comments export|erase`` finds the imported ones too; addresses are
kept only as keyed hashes, as for a comment posted on khabar.
"""

import re
from html import unescape

from khabar.comments.models import Comment, Status
from khabar.comments.sources import SOURCE_PURPOSE
from khabar.comments.text import clean_body, clean_line
from khabar.identity.address import keyed_hash
from khabar.identity.email import normalise_email

STATUSES = {"1": Status.APPROVED, "0": Status.PENDING, "trash": Status.TRASH, "post-trashed": Status.TRASH,
            "spam": Status.SPAM}
PINGBACK_REASON = "إشعار تتبع (pingback/trackback): خبر لا يعرض إشعارات المواقع الأخرى"
_LINK = re.compile(r'<a\s[^>]*href="([^"]*)"[^>]*>(.*?)</a>', re.I | re.S)
# As WordPress shows a comment: a blank line or a <p> starts a paragraph, a newline or <br> a line.
_PARAGRAPH_BREAK = re.compile(r"</?p\b[^>]*>|\n\s*\n", re.I)
_LINE_BREAK = re.compile(r"<br\s*/?>|\n", re.I)
_TAG = re.compile(r"<[^>]*>")


def comment_text(markup):
    """A comment's HTML as khabar's plain comment text; a link keeps its address after its words."""

    def spell_out(match):
        href, words = unescape(match.group(1)).strip(), match.group(2)
        plain = unescape(_TAG.sub("", words)).strip()
        return plain if not href or href == plain else f"{plain} ({href})"

    paragraphs = []
    for block in _PARAGRAPH_BREAK.split(_LINK.sub(spell_out, markup or "")):
        lines = (" ".join(unescape(_TAG.sub("", line)).split()) for line in _LINE_BREAK.split(block))
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
    return clean_body("\n\n".join(paragraphs))


class CommentImporter:
    def __init__(self, importer):
        self.importer = importer  # the WordPressImporter: its memory of imported items, report and time zone

    @property
    def report(self):
        return self.importer.report  # replaced when a batch is rolled back

    @property
    def tally(self):
        return self.report["comment"]

    def import_for(self, post, article):
        """Create the comments of ``post`` on ``article`` that an earlier run did not."""
        known = {}  # wp id -> khabar pk, for comments imported before (replies may point at them)
        fresh = []
        for comment in post.comments:
            if comment.type in ("pingback", "trackback"):
                self.tally.skip(PINGBACK_REASON)
                continue
            if comment.approved not in STATUSES:
                self.tally.skip(f"حالة غير معروفة: {comment.approved}")
                continue
            pk = self.importer.recall("comment", comment.id)
            if pk:
                known[comment.id] = pk
                self.tally.unchanged += 1
            else:
                fresh.append(comment)
        in_file = {comment.id for comment in post.comments}
        for layer in self.layers(fresh, in_file, known, post):
            rows = [self.row(comment, article, known) for comment in layer]
            if self.importer.dry_run:
                known.update((comment.id, 0) for comment in layer)
                self.tally.created += len(rows)
                continue
            for comment, row in zip(layer, Comment.objects.bulk_create(rows)):
                known[comment.id] = row.pk
                self.importer.remember("comment", comment.id, row.pk)
            self.tally.created += len(rows)

    def layers(self, comments, in_file, known, post):
        """The comments in groups that can be written in turn: top level, then their replies, and so on."""
        pending = list(comments)
        placed = set(known)
        while pending:
            layer, rest = [], []
            for comment in pending:
                parent = comment.parent
                if parent == "0" or parent in placed:
                    layer.append(comment)
                elif parent not in in_file:
                    self.report.problem(
                        f"التعليق {comment.id} على {post.label()} يرد على تعليق غير موجود في الملف ({parent})، "
                        "فاستورد تعليقاً مستقلاً."
                    )
                    comment.parent = "0"
                    layer.append(comment)
                else:
                    rest.append(comment)
            if not layer:  # a loop of replies: each points at another in the loop
                for comment in rest:
                    self.report.problem(f"التعليق {comment.id} على {post.label()} جزء من حلقة ردود، فاستورد مستقلاً.")
                    comment.parent = "0"
                layer, rest = rest, []
            placed.update(comment.id for comment in layer)
            yield layer
            pending = rest

    def row(self, comment, article, known):
        email = normalise_email(comment.email) if "@" in comment.email else ""
        url = comment.url.strip()
        user_pk = self.importer.recall("author", comment.user_id) if comment.user_id != "0" else None
        return Comment(
            article=article,
            parent_id=known.get(comment.parent) or None,
            name=clean_line(comment.author)[:80] or "زائر",
            email=email,
            url=url if url.startswith(("http://", "https://")) and len(url) <= 200 else "",
            body=comment_text(comment.content) or "…",
            status=STATUSES[comment.approved],
            created=comment.date_gmt or self.importer.local_time(comment.date) or self.importer.started_at,
            ip_hash=keyed_hash(comment.ip, SOURCE_PURPOSE) if comment.ip else "",
            user_id=user_pk,
            is_staff_reply=bool(user_pk),
        )
