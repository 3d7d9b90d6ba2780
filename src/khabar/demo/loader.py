"""Publishing the demo stories of ``stories.json`` as a week of news.

Everything in the data file is invented for the demo: the events, the people quoted, the clubs
and the figures. Officials appear only by generic role ("وزير المالية"), and the agencies are
invented too, so that no real agency is credited with copy it never wrote. Articles are dated
relative to now, so the site always shows "منذ 3 ساعات" as well as articles from several days ago.
"""

import json
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from wagtail.models import Revision
from wagtail.rich_text import RichText

from khabar.demo import images as demo_images
from khabar.news.article_text import paragraphs_to_html
from khabar.news.models import Agency, ArticlePage, Author
from khabar.news.site_tree import ensure_home_page, get_or_create_section
from khabar.news.slugs import unicode_slug

DATA_FILE = Path(__file__).with_name("stories.json")

# The one breaking story stays in the "عاجل" ticker this long after the demo loads.
BREAKING_FOR = timedelta(hours=3)


@dataclass(frozen=True)
class Story:
    section: str
    title: str
    summary: str
    paragraphs: tuple
    hours_ago: float
    dateline: str = ""
    authors: tuple = ()
    agencies: tuple = ()
    tags: tuple = ()
    image: str = ""  # a key of images.PICTURES
    caption: str = ""  # defaults to the picture's title
    quote: tuple = ()  # (text, attribution), set after the second paragraph
    figure: tuple = ()  # (picture key, caption), set before the last paragraph
    updated_after: float = 0  # hours between first publication and the last update
    breaking: bool = False

    @classmethod
    def from_data(cls, data):
        """A Story from its JSON object; an unknown key is a TypeError naming it."""
        data = dict(data)
        for key in ("paragraphs", "authors", "agencies", "tags"):
            if key in data:
                data[key] = tuple(data[key])
        if "quote" in data:
            data["quote"] = (data["quote"]["text"], data["quote"]["attribution"])
        if "figure" in data:
            data["figure"] = (data["figure"]["image"], data["figure"]["caption"])
        return cls(**data)


@dataclass(frozen=True)
class DemoContent:
    sections: tuple  # (title, intro)
    authors: tuple  # (name, role, bio)
    agencies: tuple  # (name, credit shown after the body)
    stories: tuple  # Story


@cache
def demo_content():
    """The demo's sections, people, agencies and stories, read once from ``stories.json``."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return DemoContent(
        sections=tuple((s["title"], s["intro"]) for s in data["sections"]),
        authors=tuple((a["name"], a["role"], a["bio"]) for a in data["authors"]),
        agencies=tuple((a["name"], a["credit"]) for a in data["agencies"]),
        stories=tuple(Story.from_data(story) for story in data["stories"]),
    )


def load_demo_content():
    """Publish the demo sections, people and articles on an empty site; returns the number of articles.

    Does nothing (and returns 0) when the site already has articles. Runs in one
    transaction; if it fails, the image files it wrote are removed too.
    """
    if ArticlePage.objects.exists():
        return 0
    content = demo_content()
    images = {}
    try:
        with transaction.atomic():
            for key, image in demo_images.create_demo_images():
                images[key] = image
            _publish_all(content, ensure_home_page(), images, timezone.now())
    except Exception:
        for image in images.values():
            image.file.storage.delete(image.file.name)
        raise
    return len(content.stories)


def _publish_all(content, home, images, now):
    sections = {}
    for title, intro in content.sections:
        section = get_or_create_section(home, title)
        if section.intro != intro:
            section.intro = intro
            section.save_revision().publish()
        sections[title] = section
    authors = {
        name: Author.objects.get_or_create(slug=unicode_slug(name), defaults={"name": name, "role": role, "bio": bio})[0]
        for name, role, bio in content.authors
    }
    agencies = {
        name: Agency.objects.get_or_create(name=name, defaults={"credit": credit})[0]
        for name, credit in content.agencies
    }
    for story in content.stories:
        _publish(story, sections[story.section], authors, agencies, images, now)


def _publish(story, section, authors, agencies, images, now):
    """One story as a live article, published through a revision and dated ``hours_ago``."""
    picture = images.get(story.image)
    page = ArticlePage(
        title=story.title,
        slug=unicode_slug(story.title, 70),
        summary=story.summary,
        dateline=story.dateline,
        body=_body(story, images),
        hero_image=picture,
        hero_caption=(story.caption or picture.title) if picture else "",
        hero_credit=demo_images.CREDIT if picture else "",
        is_breaking=story.breaking,
        breaking_until=now + BREAKING_FOR if story.breaking else None,
    )
    page.authors = [authors[name] for name in story.authors]
    page.agencies = [agencies[name] for name in story.agencies]
    page.tags.add(*story.tags)
    section.add_child(instance=page)
    revision = page.save_revision()
    revision.publish()
    first = now - timedelta(hours=story.hours_ago)
    last = first + timedelta(hours=story.updated_after)
    ArticlePage.objects.filter(pk=page.pk).update(
        first_published_at=first, last_published_at=last, latest_revision_created_at=last
    )
    Revision.objects.filter(pk=revision.pk).update(created_at=last)  # so the admin's history agrees


def _body(story, images):
    """The StreamField value: text, with the quote after the second paragraph and the figure before the last."""
    paragraphs = list(story.paragraphs)
    inserts = []
    if story.quote:
        inserts.append((2, ("quote", {"text": story.quote[0], "attribution": story.quote[1]})))
    if story.figure:
        key, caption = story.figure
        figure = {"image": images[key], "caption": caption, "credit": demo_images.CREDIT}
        inserts.append((len(paragraphs) - 1, ("figure", figure)))
    blocks, start = [], 0
    for at, block in sorted(inserts, key=lambda insert: insert[0]):
        if paragraphs[start:at]:
            blocks.append(("text", RichText(paragraphs_to_html(paragraphs[start:at]))))
        blocks.append(block)
        start = at
    blocks.append(("text", RichText(paragraphs_to_html(paragraphs[start:]))))
    return blocks
