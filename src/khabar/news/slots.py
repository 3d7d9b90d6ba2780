"""Slots: named places in news templates that other apps fill.

``news`` must not know the apps built on it, yet its pages show their parts
(the comments under an article, the newsletter box, the search box). So a
news template marks a place with ``{% slot "name" %}`` (``{% load slot_tags %}``),
and an app fills it from its own ``wagtail_hooks.py``::

    from khabar.news import slots

    @hooks.register(slots.hook_name(slots.AFTER_ARTICLE))
    def comments_under_article(context):
        return ...  # a safe string: render_to_string, format_html, or slots.include(...)

A filler receives the template context of the page being rendered and returns
markup; plain strings are escaped. Fillers of one slot are joined by a newline
in Wagtail's hook order (``order=`` on ``hooks.register``). A slot nobody
fills renders nothing. Fillers run on every page, so they must stay cheap and
must not add SQL queries of their own to a page.

The slots:

- ``head_styles``    every page, in <head>, right after the site's stylesheet
- ``head_scripts``   every page, in <head>, right after the site's script
- ``header_tools``   every page, in the masthead bar after the date
- ``footer_top``     every page, first thing in the footer
- ``article_head``   article pages, at the end of <head>
- ``after_article``  article pages, after the article and before related articles
- ``article_aside``  article pages, a column beside the article on wide screens, under it on phones
- ``home_aside``     the home page, after the top stories and before the section blocks
"""

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from wagtail import hooks

HEAD_STYLES = "head_styles"
HEAD_SCRIPTS = "head_scripts"
HEADER_TOOLS = "header_tools"
FOOTER_TOP = "footer_top"
ARTICLE_HEAD = "article_head"
AFTER_ARTICLE = "after_article"
ARTICLE_ASIDE = "article_aside"
HOME_ASIDE = "home_aside"

NAMES = frozenset({HEAD_STYLES, HEAD_SCRIPTS, HEADER_TOOLS, FOOTER_TOP, ARTICLE_HEAD, AFTER_ARTICLE, ARTICLE_ASIDE, HOME_ASIDE})


def hook_name(slot):
    """The Wagtail hook an app registers under to fill ``slot``; a misspelt slot fails at import."""
    if slot not in NAMES:
        raise ValueError(f"unknown slot {slot!r}; the slots are listed in khabar.news.slots")
    return f"khabar_slot_{slot}"


def render(slot, context):
    """Everything the installed apps put in ``slot``, for the page whose template context is ``context``."""
    parts = (fill(context) for fill in hooks.get_hooks(hook_name(slot)))
    return mark_safe("\n".join(conditional_escape(part) for part in parts if part))


def include(template_name):
    """A filler that renders ``template_name`` with the page's context, as ``{% include %}`` would."""

    def fill(context):
        template = context.template.engine.get_template(template_name)
        with context.push():
            return template.render(context)

    fill.__name__ = f"include_{template_name}"
    return fill
