"""Agency feeds, served on 127.0.0.1, become draft articles on the desk: each format, end to end."""

import pytest

from .samples import STORIES, atom, newsml, ninjs, ninjs_item, rss, story_html

pytestmark = pytest.mark.django_db

FIRST = "Wed, 02 Dec 2026 06:00:00 +0300"
LATER = "Wed, 02 Dec 2026 07:15:00 +0300"


def items_of(agency):
    from khabar.wire.models import WireItem

    return {item.guid: item for item in WireItem.objects.filter(agency=agency)}


def draft_of(item):
    """The article as the desk will open it: its latest revision."""
    return item.article.specific.get_latest_revision_as_object()


def body_html(page):
    return "".join(block.value.source for block in page.body if block.block_type == "text")


def assert_is_credited_draft(item, agency, section, headline, dateline):
    page = item.article.specific
    assert page.live is False and page.first_published_at is None
    assert page.get_parent().specific == section
    assert list(page.agencies.all()) == [agency]
    draft = draft_of(item)
    assert draft.title == headline
    assert draft.dateline == dateline
    return draft


def test_rss_items_become_unpublished_drafts_credited_to_the_agency(agency_for, wire_section, pull_now, client):
    agency = agency_for("وكالة الصحافة الفرنسية", "/afp.rss", rss([
        ("afp-quake-1", STORIES["quake"]["headline"], story_html("quake"), FIRST),
        ("afp-talks-1", STORIES["talks"]["headline"], story_html("talks"), FIRST),
    ]))

    summary = pull_now(agency)

    assert summary == {"new": 2, "updated": 0, "duplicates": summary["duplicates"], "withdrawn": 0, "errors": []}
    items = items_of(agency)
    quake = assert_is_credited_draft(items["afp-quake-1"], agency, wire_section, STORIES["quake"]["headline"], "أنقرة")
    html = body_html(quake)
    assert html.startswith("<p>ضرب زلزال بقوة 5,8 درجات")  # "أنقرة - أ ف ب:" lifted off the lead
    assert "(أ ف ب)" not in html and "خشية هزات ارتدادية.</p>" in html  # the credit is the agency field's job
    talks = assert_is_credited_draft(items["afp-talks-1"], agency, wire_section, STORIES["talks"]["headline"], "الدوحة")
    assert "(وكالات)" not in body_html(talks)
    assert "دارفور منذ 2023.</p>" in body_html(talks)  # the full stop a bidi round-trip displaced, put back
    assert talks.source_url == items["afp-talks-1"].url == "https://wire.example.org/afp-talks-1"
    assert items["afp-quake-1"].version == 1 and items["afp-quake-1"].source_updated_at.isoformat() == "2026-12-02T03:00:00+00:00"
    # Nothing is public until the desk publishes it.
    assert client.get(quake.url).status_code == 404


def test_atom_entries_become_drafts(agency_for, wire_section, pull_now):
    agency = agency_for("رويترز", "/reuters.atom", atom([
        ("urn:reuters:oil-1", STORIES["oil"]["headline"], story_html("oil"), "2026-12-02T05:10:00Z"),
    ]), fmt="atom")

    assert pull_now(agency)["new"] == 1

    item = items_of(agency)["urn:reuters:oil-1"]
    draft = assert_is_credited_draft(item, agency, wire_section, STORIES["oil"]["headline"], "لندن")
    assert body_html(draft).startswith("<p>ارتفعت أسعار النفط")  # "لندن (رويترز) -" lifted off
    assert item.url == "https://atom.example.org/oil-1"


def test_ninjs_items_become_drafts_with_the_place_the_agency_named(agency_for, wire_section, pull_now):
    agency = agency_for("الأناضول", "/aa.json", ninjs([
        ninjs_item("urn:aa:talks", "talks", located="الدوحة"),
        ninjs_item("urn:aa:oil", "oil"),
    ]), content_type="application/json")

    assert pull_now(agency)["new"] == 2

    items = items_of(agency)
    talks = assert_is_credited_draft(items["urn:aa:talks"], agency, wire_section, STORIES["talks"]["headline"], "الدوحة")
    assert body_html(talks).startswith("<p>بدأت في العاصمة القطرية")  # the lead's own "الدوحة:" is not repeated
    assert items["urn:aa:oil"].url == "https://ninjs.example.org/oil"


def test_newsml_g2_items_become_drafts(agency_for, wire_section, pull_now):
    agency = agency_for("د ب أ", "/dpa.xml", newsml([
        ("urn:newsml:dpa:quake", 1, STORIES["quake"]["headline"], story_html("quake"), "stat:usable", "أنقرة"),
    ]), fmt="newsml")

    assert pull_now(agency)["new"] == 1

    item = items_of(agency)["urn:newsml:dpa:quake"]
    draft = assert_is_credited_draft(item, agency, wire_section, STORIES["quake"]["headline"], "أنقرة")
    assert "هيئة إدارة الكوارث والطوارئ" in body_html(draft)
    assert "<title>" not in body_html(draft) and "<html" not in body_html(draft)
    assert item.url == "https://g2.example.org/quake"


def test_a_feed_that_is_not_what_its_agency_says_is_reported(agency_for, pull_now):
    agency = agency_for("رويترز", "/wrong.xml", rss([("r-1", "عنوان", "<p>نص</p>", FIRST)]), fmt="atom")

    summary = pull_now(agency)

    assert summary["new"] == 0
    assert summary["errors"] == ["الخدمة ليست بالصيغة المعلنة (atom)، بل تبدو rss"]


def test_the_same_item_read_twice_is_one_draft(agency_for, pull_now):
    from wagtail.models import Revision

    agency = agency_for("وكالة الصحافة الفرنسية", "/afp.rss", rss([
        ("afp-quake-1", STORIES["quake"]["headline"], story_html("quake"), FIRST),
    ]))

    pull_now(agency)
    again = pull_now(agency)

    assert again == {"new": 0, "updated": 0, "duplicates": 0, "withdrawn": 0, "errors": []}
    item = items_of(agency)["afp-quake-1"]
    assert item.times_updated == 0
    assert Revision.page_revisions.filter(object_id=str(item.article_id)).count() == 1


def test_a_newer_ninjs_version_becomes_a_new_revision_of_the_draft(agency_for, feeds, pull_now):
    from wagtail.models import Revision

    agency = agency_for("الأناضول", "/aa.json", ninjs([ninjs_item("urn:aa:quake", "quake")]))
    pull_now(agency)
    corrected = story_html("quake").replace("5,8 درجات", "6,1 درجات")
    feeds.serve("/aa.json", ninjs([ninjs_item("urn:aa:quake", "quake", version=2, html=corrected,
                                              versioncreated="2026-12-02T08:05:00+03:00")]))

    summary = pull_now(agency)

    assert summary["updated"] == 1 and summary["new"] == 0
    item = items_of(agency)["urn:aa:quake"]
    assert (item.version, item.times_updated, item.alert) == (2, 1, "")
    assert "6,1 درجات" in item.body_html
    assert "6,1 درجات" in body_html(draft_of(item))
    assert Revision.page_revisions.filter(object_id=str(item.article_id)).count() == 2
    assert item.article.specific.live is False
    # Reading version 2 again, or version 1 arriving late, changes nothing.
    feeds.serve("/aa.json", ninjs([ninjs_item("urn:aa:quake", "quake", version=1)]))
    assert pull_now(agency)["updated"] == 0


def test_a_later_rss_pub_date_is_a_newer_version(agency_for, feeds, pull_now):
    agency = agency_for("وكالة الصحافة الفرنسية", "/afp.rss", rss([
        ("afp-talks-1", STORIES["talks"]["headline"], story_html("talks"), FIRST),
    ]))
    pull_now(agency)
    headline = "انطلاق محادثات الدوحة بشأن الهدنة في السودان بحضور الوسطاء"
    feeds.serve("/afp.rss", rss([("afp-talks-1", headline, story_html("talks"), LATER)]))

    assert pull_now(agency)["updated"] == 1

    item = items_of(agency)["afp-talks-1"]
    assert item.headline == headline and draft_of(item).title == headline


def test_an_update_after_publishing_alerts_the_desk_and_leaves_the_live_article_alone(agency_for, feeds, pull_now, client):
    from wagtail.models import Revision

    agency = agency_for("الأناضول", "/aa.json", ninjs([ninjs_item("urn:aa:oil", "oil")]))
    pull_now(agency)
    item = items_of(agency)["urn:aa:oil"]
    item.article.specific.get_latest_revision().publish()
    page = item.article.specific
    page.refresh_from_db()
    assert client.get(page.url).status_code == 200

    changed = story_html("oil").replace("60 سنتاً", "90 سنتاً")
    feeds.serve("/aa.json", ninjs([ninjs_item("urn:aa:oil", "oil", version=2, html=changed)]))
    summary = pull_now(agency)

    assert summary["updated"] == 1
    item.refresh_from_db()
    assert item.alert == "updated" and item.times_updated == 1 and "90 سنتاً" in item.body_html
    html = client.get(page.url).content.decode()
    assert "60 سنتاً" in html and "90 سنتاً" not in html
    page.refresh_from_db()
    assert page.has_unpublished_changes is False
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == 1


def test_a_canceled_ninjs_item_is_flagged_withdrawn_and_never_unpublished(agency_for, feeds, pull_now, client):
    agency = agency_for("الأناضول", "/aa.json", ninjs([ninjs_item("urn:aa:quake", "quake")]))
    pull_now(agency)
    item = items_of(agency)["urn:aa:quake"]
    item.article.specific.get_latest_revision().publish()

    feeds.serve("/aa.json", ninjs([ninjs_item("urn:aa:quake", "quake", version=2, pubstatus="canceled")]))
    summary = pull_now(agency)

    assert summary["withdrawn"] == 1
    item.refresh_from_db()
    assert item.withdrawn is True and item.alert == "withdrawn"
    assert client.get(item.article.specific.url).status_code == 200  # the desk decides, not the feed
    assert pull_now(agency)["withdrawn"] == 0  # counted once


def test_a_newsml_g2_kill_is_a_withdrawal(agency_for, feeds, pull_now):
    quake = ("urn:newsml:dpa:quake", 1, STORIES["quake"]["headline"], story_html("quake"), "stat:usable", "")
    agency = agency_for("د ب أ", "/dpa.xml", newsml([quake]))
    pull_now(agency)
    feeds.serve("/dpa.xml", newsml([("urn:newsml:dpa:quake", 2, "", "", "stat:canceled", "")]))

    assert pull_now(agency)["withdrawn"] == 1
    assert items_of(agency)["urn:newsml:dpa:quake"].withdrawn is True


def test_an_atom_tombstone_is_a_withdrawal(agency_for, feeds, pull_now):
    oil = ("urn:reuters:oil-1", STORIES["oil"]["headline"], story_html("oil"), "2026-12-02T05:10:00Z")
    agency = agency_for("رويترز", "/reuters.atom", atom([oil]))
    pull_now(agency)
    feeds.serve("/reuters.atom", atom([], tombstones=["urn:reuters:oil-1"]))

    assert pull_now(agency)["withdrawn"] == 1
    assert items_of(agency)["urn:reuters:oil-1"].alert == "withdrawn"


def _two_story_feed(*keys):
    return rss([(f"afp-{key}", STORIES[key]["headline"], story_html(key), FIRST) for key in keys])


def test_an_item_that_vanished_counts_as_withdrawn_when_the_agency_works_that_way(agency_for, feeds, pull_now):
    agency = agency_for("وكالة الصحافة الفرنسية", "/afp.rss", _two_story_feed("quake", "talks"))
    agency.feed_vanished_withdrawn = True
    agency.save()
    pull_now(agency)

    feeds.serve("/afp.rss", _two_story_feed("quake"))
    assert pull_now(agency)["withdrawn"] == 1
    items = items_of(agency)
    assert items["afp-talks"].withdrawn is True and items["afp-talks"].alert == "withdrawn"
    assert items["afp-quake"].withdrawn is False

    # An empty read is a glitch at the agency, not the withdrawal of everything.
    feeds.serve("/afp.rss", rss([]))
    assert pull_now(agency)["withdrawn"] == 0
    assert items_of(agency)["afp-quake"].withdrawn is False


def test_a_vanished_item_is_just_gone_for_agencies_whose_feeds_roll(agency_for, feeds, pull_now):
    agency = agency_for("وكالة الصحافة الفرنسية", "/afp.rss", _two_story_feed("quake", "talks"))
    pull_now(agency)
    feeds.serve("/afp.rss", _two_story_feed("quake"))

    assert pull_now(agency)["withdrawn"] == 0
    assert items_of(agency)["afp-talks"].withdrawn is False


def test_a_broken_item_is_reported_and_the_others_still_arrive(agency_for, pull_now):
    agency = agency_for("وكالة الصحافة الفرنسية", "/afp.rss", rss([
        ("afp-empty", "<script>alert(1)</script>", "<p>نص بلا عنوان</p>", FIRST),  # nothing left to call it
        ("afp-oil", STORIES["oil"]["headline"], story_html("oil"), FIRST),
    ]))

    summary = pull_now(agency)

    assert summary["new"] == 1
    assert summary["errors"] == ["تعذّرت معالجة الخبر afp-empty (ValidationError)"]
    assert set(items_of(agency)) == {"afp-oil"}


def test_drafts_go_to_the_agency_section_then_the_given_one_then_the_first(agency_for, home, wire_section, pull_now):
    from khabar.news.site_tree import get_or_create_section

    economy = get_or_create_section(home, "اقتصاد")
    sport = get_or_create_section(home, "رياضة")
    agency = agency_for("رويترز", "/r.rss", _two_story_feed("oil"))
    agency.feed_section = economy
    agency.save()
    pull_now(agency)
    assert items_of(agency)["afp-oil"].article.get_parent().pk == economy.pk

    other = agency_for("الأناضول", "/aa.rss", _two_story_feed("talks"))
    pull_now(other, fallback_section=sport)
    assert items_of(other)["afp-talks"].article.get_parent().pk == sport.pk

    third = agency_for("بترا", "/petra.rss", _two_story_feed("quake"))
    pull_now(third)
    assert items_of(third)["afp-quake"].article.get_parent().pk == wire_section.pk  # "العالم" came first


def test_duplicates_across_agencies_are_counted(agency_for, pull_now):
    first = agency_for("وكالة الصحافة الفرنسية", "/afp.rss", _two_story_feed("quake"))
    second = agency_for("الأناضول", "/aa.json", ninjs([ninjs_item("urn:aa:quake", "quake")]))
    pull_now(first)

    summary = pull_now(second)

    assert summary["new"] == 1 and summary["duplicates"] == 1
    assert items_of(first)["afp-quake"].group_id == items_of(second)["urn:aa:quake"].group_id is not None


def test_a_pull_cut_short_is_completed_by_the_next_one(agency_for, feeds, pull_now, monkeypatch):
    from khabar.wire import ingest

    agency = agency_for("وكالة الصحافة الفرنسية", "/afp.rss", _two_story_feed("quake", "talks"), etag='"v1"')
    real_prepare, calls = ingest.prepare, []

    def crash_on_second_item(entry):
        calls.append(entry.guid)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the worker is killed mid-pull
        return real_prepare(entry)

    monkeypatch.setattr(ingest, "prepare", crash_on_second_item)
    with pytest.raises(KeyboardInterrupt):
        pull_now(agency)
    assert set(items_of(agency)) == {calls[0]}
    monkeypatch.setattr(ingest, "prepare", real_prepare)

    summary = pull_now(agency)

    assert summary["new"] == 1 and summary["errors"] == []
    assert set(items_of(agency)) == {"afp-quake", "afp-talks"}
    # The feed's validators were not saved by the cut-short pull, so the feed was read in full again.
    assert "If-None-Match" not in feeds.routes["/afp.rss"].requests[-1]
