"""Reading a WordPress export (WXR 1.0, 1.1 or 1.2) as a stream, into plain records.

Nothing here touches the database. The file is read twice with ``iterparse``: ``scan`` keeps
the header (authors, categories, tags), the attachments and a count of the items, and ``posts``
then yields one Post at a time; each item's element is dropped once read, so memory stays flat
however large the export. A file that is not WXR, is cut short or is not UTF-8 raises WXRError
with a message that names the line.
"""

import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone as dt_timezone
from urllib.parse import unquote, urlsplit

# WXR's namespaces change with its version (export/1.0/ … export/1.2/); tags are read by these prefixes.
_PREFIXES = (
    ("http://wordpress.org/export/", "wp"),
    ("http://purl.org/rss/1.0/modules/content/", "content"),
    ("http://purl.org/dc/elements/1.1/", "dc"),
    ("http://wellformedweb.org/CommentAPI/", "wfw"),
)
_EMPTY_DATE = "0000-00-00 00:00:00"


class WXRError(ValueError):
    """The file cannot be read as a WordPress export; the message says where and why, in Arabic."""


@dataclass
class Author:
    id: str
    login: str
    email: str = ""
    display_name: str = ""


@dataclass
class Term:
    """A category or a tag. ``slug`` is decoded ("الشرق-الأوسط"); ``nicename`` is as WordPress wrote it."""

    taxonomy: str  # "category" or "post_tag"
    nicename: str
    name: str
    parent: str = ""  # the parent category's nicename
    description: str = ""

    @property
    def slug(self):
        return unquote(self.nicename)


@dataclass
class Attachment:
    id: str
    url: str
    title: str = ""
    caption: str = ""
    alt: str = ""
    relative_path: str = ""  # under wp-content/uploads/
    sizes: list = field(default_factory=list)  # file names of the size variants (…-1024x576.jpg)


@dataclass
class Comment:
    id: str
    author: str
    email: str
    url: str
    ip: str
    date_gmt: datetime | None
    date: datetime | None
    content: str
    approved: str  # "1", "0", "trash", "spam", "post-trashed"
    type: str  # "comment" (or ""), "pingback", "trackback"
    parent: str
    user_id: str


@dataclass
class Post:
    id: str
    type: str
    status: str
    title: str
    link: str
    post_name: str
    content: str = ""
    excerpt: str = ""
    creator: str = ""
    date: datetime | None = None  # the site's local time, naive
    date_gmt: datetime | None = None  # UTC, aware
    modified: datetime | None = None
    modified_gmt: datetime | None = None
    comment_status: str = "open"
    password: str = ""
    sticky: bool = False
    parent: str = "0"
    categories: list = field(default_factory=list)  # nicenames
    tags: list = field(default_factory=list)  # (nicename, name)
    meta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)

    @property
    def slug(self):
        return unquote(self.post_name)

    def label(self):
        """How a message names this post: its id and title."""
        return f"المنشور {self.id} «{self.title[:60]}»" if self.title else f"المنشور {self.id}"


@dataclass
class Export:
    """What ``scan`` found: the header, every attachment, and how many items of each kind."""

    version: str = ""
    title: str = ""
    base_url: str = ""
    authors: dict = field(default_factory=dict)  # login -> Author
    categories: dict = field(default_factory=dict)  # nicename -> Term
    tags: dict = field(default_factory=dict)  # nicename -> Term
    attachments: dict = field(default_factory=dict)  # id -> Attachment
    item_counts: Counter = field(default_factory=Counter)  # (type, status) -> n
    utc_offsets: Counter = field(default_factory=Counter)  # local - GMT, from dated posts
    error: WXRError | None = None  # the file stopped being readable here; the items before it stand

    @property
    def post_total(self):
        return sum(n for (kind, _), n in self.item_counts.items() if kind in ("post", "page"))

    def utc_offset(self):
        """The site's offset from UTC as its dated posts show it (a draft's date has only local time)."""
        if not self.utc_offsets:
            return None
        minutes = self.utc_offsets.most_common(1)[0][0]
        return dt_timezone(timedelta(minutes=minutes))


def _tag(element):
    """``wp:post_id`` for ``{http://wordpress.org/export/1.2/}post_id``, whatever the WXR version."""
    tag = element.tag
    if tag[:1] != "{":
        return tag
    uri, _, local = tag[1:].partition("}")
    for start, prefix in _PREFIXES:
        if uri.startswith(start):
            if prefix == "wp" and uri.rstrip("/").endswith("excerpt"):
                return f"excerpt:{local}"
            return f"{prefix}:{local}"
    return local


def _text(element):
    return (element.text or "").strip() if element is not None else ""


def _children(element):
    """The element's children by prefixed tag; a repeated tag keeps its first occurrence."""
    found = {}
    for child in element:
        found.setdefault(_tag(child), child)
    return found


def parse_date(value, aware=False):
    """A datetime from WordPress's "2018-05-09 06:05:11"; None for the empty "0000-00-00 00:00:00"."""
    value = (value or "").strip()
    if not value or value == _EMPTY_DATE:
        return None
    try:
        moment = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return moment.replace(tzinfo=dt_timezone.utc) if aware else moment


def _items(path):
    """(prefixed tag, element) for each top-level record of the channel, each removed once read."""
    try:
        events = ET.iterparse(path, events=("start", "end"))
        depth = 0
        channel = None
        root_seen = False
        for event, element in events:
            if event == "start":
                depth += 1
                if not root_seen:
                    root_seen = True
                    if _tag(element) != "rss":
                        raise WXRError(f"هذا الملف ليس تصديراً من ووردبريس: عنصره الأول <{_tag(element)}> لا <rss>.")
                elif depth == 2 and _tag(element) == "channel":
                    channel = element
                continue
            depth -= 1
            if depth == 2 and channel is not None:
                yield _tag(element), element
                channel.remove(element)
    except ET.ParseError as error:
        raise WXRError(_describe_parse_error(path, error)) from None


def _describe_parse_error(path, error):
    line, column = getattr(error, "position", (0, 0))
    message = str(error)
    if "no element found" in message or "unclosed token" in message:
        return f"الملف مقطوع: ينتهي عند السطر {line} قبل أن يكتمل. أعد التصدير من ووردبريس ثم أعد الاستيراد."
    if "invalid token" in message and _line_is_not_utf8(path, line):
        return f"الملف ليس نصاً بترميز UTF-8 صالح عند السطر {line}. احفظه بترميز UTF-8 ثم أعد الاستيراد."
    if line <= 1 and ("syntax error" in message or "not well-formed" in message):
        return "هذا الملف ليس ملف XML، فلا يمكن أن يكون تصديراً من ووردبريس (WXR)."
    return f"خطأ في بنية XML عند السطر {line}، العمود {column}: {message.split(':')[0]}."


def _line_is_not_utf8(path, line):
    with open(path, "rb") as source:
        for number, raw in enumerate(source, start=1):
            if number == line:
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError:
                    return True
                return False
    return False


def scan(path):
    """The export's header, attachments and item counts, read in one streaming pass.

    Raises WXRError when the file is not a WordPress export at all. A file that breaks off
    later keeps what was read, with ``error`` saying where it stopped.
    """
    export = Export()
    seen_channel_fields = False
    try:
        for tag, element in _items(path):
            seen_channel_fields = True
            if tag == "wp:wxr_version":
                export.version = _text(element)
            elif tag == "title" and not export.title:
                export.title = _text(element)
            elif tag == "wp:base_site_url":
                export.base_url = _text(element).rstrip("/")
            elif tag == "link" and not export.base_url:
                export.base_url = _text(element).rstrip("/")
            elif tag == "wp:author":
                author = _read_author(element)
                export.authors.setdefault(author.login, author)
            elif tag in ("wp:category", "wp:tag", "wp:term"):
                term = _read_term(tag, element)
                if term is not None:
                    terms = export.categories if term.taxonomy == "category" else export.tags
                    terms.setdefault(term.nicename, term)  # wp:term repeats them: the first stands
            elif tag == "item":
                _count_item(export, element)
    except WXRError as error:
        if not seen_channel_fields:
            raise
        export.error = error
    if not export.version:
        if export.error:
            raise export.error
        raise WXRError("هذا الملف ليس تصديراً من ووردبريس (WXR): لا يحمل wp:wxr_version. صدّره من «أدوات ← تصدير».")
    return export


def _count_item(export, element):
    fields = _children(element)
    kind, status = _text(fields.get("wp:post_type")), _text(fields.get("wp:status"))
    export.item_counts[(kind, status)] += 1
    if kind == "attachment":
        attachment = _read_attachment(fields, element)
        export.attachments[attachment.id] = attachment
    local, gmt = parse_date(_text(fields.get("wp:post_date"))), parse_date(_text(fields.get("wp:post_date_gmt")))
    if local and gmt and kind in ("post", "page"):
        export.utc_offsets[round((local - gmt).total_seconds() / 900) * 15] += 1


def posts(path):
    """Every post and page of the export, in file order, as Posts (comments included)."""
    for tag, element in _items(path):
        if tag == "item":
            fields = _children(element)
            kind = _text(fields.get("wp:post_type"))
            if kind != "attachment":
                yield _read_post(fields, element)


def _read_author(element):
    fields = _children(element)
    return Author(
        id=_text(fields.get("wp:author_id")),
        login=_text(fields.get("wp:author_login")),
        email=_text(fields.get("wp:author_email")),
        display_name=_text(fields.get("wp:author_display_name")),
    )


def _read_term(tag, element):
    fields = _children(element)
    if tag == "wp:category":
        taxonomy, nicename, name = "category", "wp:category_nicename", "wp:cat_name"
        description = "wp:category_description"
    elif tag == "wp:tag":
        taxonomy, nicename, name, description = "post_tag", "wp:tag_slug", "wp:tag_name", "wp:tag_description"
    else:
        taxonomy = _text(fields.get("wp:term_taxonomy"))
        if taxonomy not in ("category", "post_tag"):
            return None  # menus, formats and the like: nothing khabar shows
        nicename, name, description = "wp:term_slug", "wp:term_name", "wp:term_description"
    term = Term(
        taxonomy=taxonomy,
        nicename=_text(fields.get(nicename)),
        name=_text(fields.get(name)),
        # Not ``a or b``: an element with no children is false in ElementTree.
        parent=_text(fields.get("wp:category_parent", fields.get("wp:term_parent"))),
        description=_text(fields.get(description)),
    )
    return term if term.nicename and term.name else None


def _meta(element):
    meta = {}
    for child in element:
        if _tag(child) == "wp:postmeta":
            fields = _children(child)
            meta.setdefault(_text(fields.get("wp:meta_key")), (fields.get("wp:meta_value").text or "") if fields.get("wp:meta_value") is not None else "")
    return meta


# PHP-serialised attachment metadata: the size variants are its "file" entries after the first.
_SERIALISED_FILE = re.compile(r's:4:"file";s:\d+:"([^"]+)"')


def _read_attachment(fields, element):
    meta = _meta(element)
    url = _text(fields.get("wp:attachment_url")) or _text(fields.get("guid"))
    files = _SERIALISED_FILE.findall(meta.get("_wp_attachment_metadata", ""))
    return Attachment(
        id=_text(fields.get("wp:post_id")),
        url=url,
        title=_text(fields.get("title")),
        caption=_text(fields.get("excerpt:encoded")),
        alt=meta.get("_wp_attachment_image_alt", "").strip(),
        relative_path=meta.get("_wp_attached_file", "").strip() or uploads_path(url),
        sizes=[name for name in files[1:] if "/" not in name],
    )


def uploads_path(url):
    """The part of an uploads URL after ``wp-content/uploads/``, decoded; "" for any other URL."""
    path = unquote(urlsplit(url).path)
    marker = "/wp-content/uploads/"
    return path.split(marker, 1)[1] if marker in path else ""


def _read_post(fields, element):
    post = Post(
        id=_text(fields.get("wp:post_id")),
        type=_text(fields.get("wp:post_type")) or "post",
        status=_text(fields.get("wp:status")) or "publish",
        title=" ".join(_text(fields.get("title")).split()),
        link=_text(fields.get("link")),
        post_name=_text(fields.get("wp:post_name")),
        content=(fields["content:encoded"].text or "") if "content:encoded" in fields else "",
        excerpt=_text(fields.get("excerpt:encoded")),
        creator=_text(fields.get("dc:creator")),
        date=parse_date(_text(fields.get("wp:post_date"))),
        date_gmt=parse_date(_text(fields.get("wp:post_date_gmt")), aware=True),
        modified=parse_date(_text(fields.get("wp:post_modified"))),
        modified_gmt=parse_date(_text(fields.get("wp:post_modified_gmt")), aware=True),
        comment_status=_text(fields.get("wp:comment_status")) or "open",
        password=_text(fields.get("wp:post_password")),
        sticky=_text(fields.get("wp:is_sticky")) == "1",
        parent=_text(fields.get("wp:post_parent")) or "0",
        meta=_meta(element),
    )
    for child in element:
        tag = _tag(child)
        if tag == "category":
            domain, nicename = child.get("domain", ""), child.get("nicename", "")
            name = " ".join((child.text or "").split())
            if not nicename or not name:
                continue
            if domain == "category":
                post.categories.append(nicename)
            elif domain == "post_tag":
                post.tags.append((nicename, name))
        elif tag == "wp:comment":
            post.comments.append(_read_comment(child))
    return post


def _read_comment(element):
    fields = _children(element)
    return Comment(
        id=_text(fields.get("wp:comment_id")),
        author=_text(fields.get("wp:comment_author")),
        email=_text(fields.get("wp:comment_author_email")),
        url=_text(fields.get("wp:comment_author_url")),
        ip=_text(fields.get("wp:comment_author_IP")),
        date_gmt=parse_date(_text(fields.get("wp:comment_date_gmt")), aware=True),
        date=parse_date(_text(fields.get("wp:comment_date"))),
        content=(fields["wp:comment_content"].text or "") if "wp:comment_content" in fields else "",
        approved=_text(fields.get("wp:comment_approved")) or "0",
        type=_text(fields.get("wp:comment_type")),
        parent=_text(fields.get("wp:comment_parent")) or "0",
        user_id=_text(fields.get("wp:comment_user_id")) or "0",
    )
