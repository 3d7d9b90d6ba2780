"""A digest gives each article's opening with the body's word boundaries kept, in both of its parts."""

import pytest

from khabar.newsletter import digests, sending
from tests.news.test_derived_text import APART, GLUED, PARAGRAPHS

from .conftest import parts

pytestmark = pytest.mark.django_db


def test_an_opening_made_of_two_paragraphs_keeps_the_space_between_them(smtp_sink, publish_article, make_subscriber):
    make_subscriber()
    publish_article(title="موسكو تبحث مع وفد حماس إطلاق سراح الأجانب", paragraphs=PARAGRAPHS)
    sending.send_pending(digests.build_digest("daily").pk)
    (message,) = smtp_sink.messages()
    text, html = parts(message)
    assert GLUED not in text and APART in text
    assert GLUED not in html and APART in html
