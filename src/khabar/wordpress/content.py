"""A post's body, block markup or classic-editor HTML, as khabar's article blocks.

The block comments (``<!-- wp:paragraph -->``) only wrap ordinary HTML, so they are dropped and
the HTML itself is read: paragraphs, headings and lists become rich text, quotes become quote
blocks, images become figure blocks (the importer finds or re-hosts the image), embeds keep
their URL. Everything else is reduced to its text. Rich text passes through nh3 with khabar's
editor features only, so nothing a WordPress plugin left in a post can run on the page.

The dateline and the agency credit are lifted off exactly as ``import-articles`` does
(``khabar.news.article_text``), and bidi-displaced punctuation is repaired in every text run.
"""

import re
from dataclasses import dataclass, field
from html import escape, unescape
from html.parser import HTMLParser

import nh3

from khabar.arabic import repair_bidi_punctuation
from khabar.news import article_text

_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[^>]*?-->", re.S)
_SHORTCODE_CAPTION = re.compile(r"\[caption[^\]]*\](.*?)\[/caption\]", re.S | re.I)
_OTHER_SHORTCODE = re.compile(r"\[/?[a-z_-]+(?:\s[^\]]*)?\]", re.I)
_WP_IMAGE_CLASS = re.compile(r"\bwp-image-(\d+)\b")
# Elements that hold a run of text of their own.
_TEXT_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "pre", "address"}
_DROPPED = {"script", "style", "iframe", "object", "embed", "noscript", "template", "form", "svg", "math", "button"}
_VOID = {"img", "br", "hr", "input", "meta", "link", "source", "wbr", "area", "col", "param", "track"}
_INLINE_TAGS = {"b", "i", "a", "br"}
_RICH_TAGS = {"p", "h2", "h3", "ul", "ol", "li"} | _INLINE_TAGS
_RENAMED = {"strong": "b", "em": "i", "h1": "h2", "h4": "h3", "h5": "h3", "h6": "h3", "pre": "p", "address": "p"}


@dataclass
class Node:
    tag: str
    attrs: dict = field(default_factory=dict)
    children: list = field(default_factory=list)  # Nodes and strings

    def text(self):
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag == "br":
                parts.append("\n")
            elif child.tag not in _DROPPED:
                parts.append(child.text())
        return "".join(parts)

    def find(self, tag):
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    return child
                found = child.find(tag)
                if found is not None:
                    return found
        return None


class _TreeBuilder(HTMLParser):
    """A forgiving HTML reader into Nodes: unclosed tags close with their parent, stray end tags are ignored."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs})
        if tag == "p" and self.stack[-1].tag == "p":
            self.stack.pop()  # <p> does not nest: a new one closes the open one
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(markup):
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


@dataclass
class Figure:
    """An image in the text, before the importer has found its Wagtail image."""

    src: str
    attachment_id: str = ""
    alt: str = ""
    caption: str = ""


@dataclass
class Body:
    """A converted body: blocks in order as (kind, value); figures hold a Figure until resolved."""

    blocks: list = field(default_factory=list)
    dateline: str = ""
    credit: str = ""

    def stream_data(self, image_for):
        """StreamField raw data, each Figure resolved by ``image_for(figure)`` (an Image or None: dropped)."""
        data = []
        for kind, value in self.blocks:
            if kind == "figure":
                image = image_for(value)
                if image is None:
                    continue
                value = {"image": image.pk, "caption": value.caption[:250], "credit": ""}
            data.append({"type": kind, "value": value})
        return data


def convert(markup, link_base=""):
    """The Body of a post's ``content:encoded``; links into ``link_base`` (the old site) become paths."""
    markup = _BLOCK_COMMENT.sub("\n\n", markup or "")
    markup = _SHORTCODE_CAPTION.sub(_caption_shortcode, markup)
    markup = _OTHER_SHORTCODE.sub("", markup)
    root = parse_html(markup)
    reader = _BodyReader(link_base.rstrip("/"))
    reader.read(root.children)
    reader.flush_text()
    body = Body(blocks=reader.blocks)
    _lift_dateline_and_credit(body)
    return body


def _caption_shortcode(match):
    inner = match.group(1)
    image_end = inner.rfind(">")
    image, caption = inner[: image_end + 1], inner[image_end + 1:].strip()
    return f"<figure>{image}<figcaption>{escape(caption)}</figcaption></figure>"


class _BodyReader:
    def __init__(self, link_base):
        self.link_base = link_base
        self.blocks = []
        self.paragraphs = []  # rich-text pieces (each one <p>, <h2>, <ul>…) waiting to form one text block
        self.loose = []  # inline content outside any block element (classic editor): paragraphs by blank lines

    def read(self, children):
        for child in children:
            if isinstance(child, str) or child.tag in _INLINE_TAGS | {"strong", "em", "span", "u", "sub", "sup", "small", "mark", "code", "abbr", "cite", "q", "time"}:
                self.loose.append(child)
            elif child.tag in _DROPPED or child.tag == "hr":
                self.flush_loose()
            elif child.tag == "img":
                self.add_figure(child, None)
            elif child.tag == "figure":
                self.read_figure(child)
            elif child.tag == "blockquote":
                self.add_quote(child)
            elif child.tag in _TEXT_BLOCKS:
                self.flush_loose()
                self.add_text_block(child)
            else:  # div, section, table, a wrapper of any kind: what counts is inside
                self.flush_loose()
                self.read(child.children)
                self.flush_loose()

    # --- rich text ------------------------------------------------------------
    def add_text_block(self, node):
        tag = _RENAMED.get(node.tag, node.tag)
        if tag in ("ul", "ol"):
            items = [f"<li>{self.inline(li.children)}</li>" for li in node.children if isinstance(li, Node) and li.tag == "li"]
            items = [item for item in items if item != "<li></li>"]
            if items:
                self.paragraphs.append(f"<{tag}>{''.join(items)}</{tag}>")
            return
        images = [child for child in node.children if isinstance(child, Node) and child.tag in ("img", "figure")]
        inner = self.inline([c for c in node.children if c not in images])
        if inner.strip():
            self.paragraphs.append(f"<{tag}>{inner}</{tag}>")
        for image in images:  # an image inside a paragraph (classic editor) follows it
            self.read_figure(image) if image.tag == "figure" else self.add_figure(image, None)

    def flush_loose(self):
        if not self.loose:
            return
        html = self.inline(self.loose)
        self.loose = []
        for part in re.split(r"(?:\s*<br>\s*){2,}|\n\s*\n", html):
            part = part.strip().replace("\n", "<br>")
            if _visible(part):
                self.paragraphs.append(f"<p>{part}</p>")

    def flush_text(self):
        self.flush_loose()
        if self.paragraphs:
            html = nh3.clean("".join(self.paragraphs), tags=_RICH_TAGS, attributes={"a": {"href"}}, link_rel=None)
            if _visible(html):
                self.blocks.append(("text", html))
            self.paragraphs = []

    def inline(self, children):
        """Inline HTML of ``children``: bold, italic, links and line breaks kept; other tags give their text."""
        parts = []
        for child in children:
            if isinstance(child, str):
                parts.append(escape(repair_bidi_punctuation(child), quote=False))
                continue
            tag = _RENAMED.get(child.tag, child.tag)
            if tag in _DROPPED:
                continue
            if tag == "br":
                parts.append("<br>")
            elif tag in ("b", "i"):
                inner = self.inline(child.children)
                parts.append(f"<{tag}>{inner}</{tag}>" if inner.strip() else inner)
            elif tag == "a":
                href = self.link(child.attrs.get("href", ""))
                inner = self.inline(child.children)
                parts.append(f'<a href="{escape(href)}">{inner}</a>' if href else inner)
            elif tag != "img":
                parts.append(self.inline(child.children))
        return "".join(parts)

    def link(self, href):
        """A link kept if it is http(s), mailto or a path; links into the old site become paths (they redirect)."""
        href = unescape(href).strip()
        if self.link_base and href.startswith(self.link_base):
            return href[len(self.link_base):] or "/"
        if href.startswith(("http://", "https://", "mailto:", "/")) and not href.startswith("//"):
            return href
        return ""

    # --- other blocks ----------------------------------------------------------
    def read_figure(self, node):
        classes = node.attrs.get("class", "")
        if "wp-block-embed" in classes or node.find("iframe") is not None and "embed" in classes:
            self.add_embed(node)
            return
        if "wp-block-pullquote" in classes and node.find("blockquote") is not None:
            self.add_quote(node.find("blockquote"))
            return
        image = node.find("img")
        if image is None:
            self.flush_loose()
            self.read(node.children)
            return
        caption = node.find("figcaption")
        self.add_figure(image, " ".join(caption.text().split()) if caption is not None else "")

    def add_figure(self, image, caption):
        src = image.attrs.get("src", "").strip()
        if not src:
            return
        self.flush_text()
        match = _WP_IMAGE_CLASS.search(image.attrs.get("class", ""))
        figure = Figure(
            src=unescape(src),
            attachment_id=match.group(1) if match else "",
            alt=" ".join(image.attrs.get("alt", "").split()),
            caption=repair_bidi_punctuation(caption or ""),
        )
        self.blocks.append(("figure", figure))

    def add_quote(self, node):
        cite = node.find("cite")
        attribution = " ".join(cite.text().split()) if cite is not None else ""
        paragraphs = []
        for child in node.children:
            if isinstance(child, Node) and child.tag == "cite":
                continue
            text = child if isinstance(child, str) else child.text()
            paragraphs.extend(article_text.split_paragraphs(text))
        text = "\n".join(repair_bidi_punctuation(" ".join(p.split())) for p in paragraphs)
        if not text:
            return
        self.flush_text()
        self.blocks.append(("quote", {"text": text, "attribution": attribution[:255]}))

    def add_embed(self, node):
        url = ""
        for line in node.text().split():
            if line.startswith(("http://", "https://")):
                url = line
                break
        if not url:
            iframe = node.find("iframe")
            url = iframe.attrs.get("src", "") if iframe is not None else ""
        if url.startswith(("http://", "https://")):
            self.flush_text()
            self.blocks.append(("embed", url))


def _visible(html):
    return bool(re.sub(r"<[^>]*>|&nbsp;|\s", "", html))


def _lift_dateline_and_credit(body):
    """Take "موسكو:" off the lead and "(وكالات)" off the close, as import-articles does with plain copy."""
    texts = [i for i, (kind, _) in enumerate(body.blocks) if kind == "text"]
    if not texts:
        return
    first = texts[0]
    html = body.blocks[first][1]
    match = re.match(r"<p>([^<]*)", html)
    if match:
        dateline, rest = article_text.split_dateline([unescape(match.group(1))])
        if dateline:
            body.dateline = dateline
            html = f"<p>{escape(rest[0], quote=False)}{html[match.end():]}"
            body.blocks[first] = ("text", html)
    last = texts[-1]
    html = body.blocks[last][1]
    paragraphs = re.findall(r"<p>(.*?)</p>", html, re.S)
    if not paragraphs or not html.endswith("</p>") or last != len(body.blocks) - 1:
        return
    closing = paragraphs[-1]
    if "<" in closing:
        return
    credit, kept = article_text.split_agency_credit([unescape(closing)])
    if not credit:
        return
    body.credit = credit
    head = html[: html.rfind("<p>")]
    html = head + (f"<p>{escape(kept[0], quote=False)}</p>" if kept and kept[0].strip() else "")
    if _visible(html):
        body.blocks[last] = ("text", html)
    else:
        del body.blocks[last]


def plain_text(markup):
    """Text of an excerpt or a comment: tags dropped, entities decoded, paragraphs apart by blank lines."""
    paragraphs = article_text.rich_text_paragraphs(_BLOCK_COMMENT.sub("", markup or ""))
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)
