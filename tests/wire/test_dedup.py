"""The desk sees one story once: agency copies of it, and the article already published, in one group."""

from datetime import timedelta

import pytest
from django.utils import timezone

# One story as three agencies file it: other datelines and credits, a reworded lead, spelling variants.
REUTERS = [
    "القاهرة (رويترز) - قال مسؤولون في وزارة الصحة المصرية يوم الثلاثاء إن عدد المصابين بحمى الضنك في محافظة "
    "أسوان ارتفع إلى أكثر من مئتي شخص خلال الأسبوع الماضي.",
    "وأضاف المسؤولون أن الوزارة أرسلت فرقا طبية إلى القرى المتضررة لفحص السكان ورش المبيدات في المستنقعات "
    "القريبة من مجرى النيل.",
    "وأوضحت الوزارة في بيان أن ثلاثة مستشفيات في المحافظة خصصت أجنحة لاستقبال المرضى وأن معظم الحالات مستقرة.",
]
AFP = [
    "أسوان - أ ف ب: أعلن مسؤولون في وزارة الصحة المصرية الثلاثاء ان عدد المُصابين بحمّى الضنك في محافظة "
    "اسوان ارتفع الى اكثر من ٢٠٠ شخص خلال الاسبوع الماضي.",
    "وأضاف المسؤولون أن الوزارة أرسلت فرقاً طبيةً إلى القرى المتضررة لفحص السكان ورش المبيدات في المستنقعات "
    "القريبة من مجرى النيل.",
    "وأوضحت الوزارة في بيان أن ثلاثة مستشفيات في المحافظة خصصت أجنحة لاستقبال المرضى وأن معظم الحالات مستقرة. (أ ف ب)",
]
ANADOLU = [
    "القاهرة / الأناضول - قال مسؤولون في وزارة الصحة المصرية يوم الثلاثاء إن عدد المصابين بحمى الضنك في "
    "محافظة أسوان ارتفع إلى أكثر من مئتي شخص في الأيام السبعة الماضية.",
    "وأضاف المسؤولون أن الوزارة أرسلت فرقا طبية إلى القرى المتضررة لفحص السكان ورش المبيدات في المستنقعات "
    "القريبة من مجرى النيل.",
    "وقالت الوزارة في بيانها إن ثلاثة مستشفيات في المحافظة خصصت أجنحة لاستقبال المرضى وإن معظم الحالات مستقرة.",
]
# Same topic, same ministry, same day, another story.
OTHER_STORY = [
    "القاهرة (رويترز) - قالت وزارة الصحة المصرية يوم الثلاثاء إنها بدأت حملة تطعيم ضد شلل الأطفال تستهدف "
    "أكثر من أربعة ملايين طفل في محافظات الصعيد ومنها أسوان.",
    "وأضافت الوزارة أن الحملة تستمر خمسة أيام وأن فرقا طبية ستزور المنازل والمدارس في القرى لتطعيم الأطفال "
    "دون سن الخامسة.",
    "وأوضح بيان الوزارة أن اللقاح مجاني وأن المراكز الصحية ستفتح أبوابها في أيام الحملة حتى المساء.",
]


@pytest.fixture
def agencies(db):
    from khabar.news.models import Agency

    return {name: Agency.objects.create(name=name, credit=name) for name in ("رويترز", "أ ف ب", "الأناضول")}


@pytest.fixture
def receive(agencies):
    """Save a wire item as the ingest does (``age`` moves its arrival back in time)."""
    from khabar.wire.models import WireItem

    def save(agency, headline, paragraphs, age=None, guid=None):
        item = WireItem.objects.create(
            agency=agencies[agency], guid=guid or f"{agency}-{headline}", headline=headline,
            body_html="".join(f"<p>{p}</p>" for p in paragraphs),
        )
        if age:
            WireItem.objects.filter(pk=item.pk).update(received_at=timezone.now() - age)
            item.refresh_from_db()
        return item

    return save


def test_two_agencies_copies_of_one_story_are_grouped(receive):
    from khabar.wire.dedup import assign_group

    reuters = receive("رويترز", "ارتفاع إصابات حمى الضنك في أسوان إلى أكثر من 200", REUTERS)
    afp = receive("أ ف ب", "مصر: ارتفاع اصابات حمّى الضنك في اسوان", AFP)

    assert assign_group(reuters) is None  # nothing to match yet
    group = assign_group(afp)

    assert group is not None and group.article is None
    reuters.refresh_from_db()
    afp.refresh_from_db()
    assert reuters.group == afp.group == group
    assert set(group.items.values_list("agency__name", flat=True)) == {"رويترز", "أ ف ب"}


def test_a_different_story_on_the_same_topic_stays_apart(receive):
    from khabar.wire.dedup import assign_group

    fever = receive("رويترز", "ارتفاع إصابات حمى الضنك في أسوان", REUTERS)
    vaccines = receive("أ ف ب", "مصر تبدأ حملة تطعيم ضد شلل الأطفال في الصعيد", OTHER_STORY, guid="polio")
    assign_group(fever)

    assert assign_group(vaccines) is None
    fever.refresh_from_db()
    vaccines.refresh_from_db()
    assert fever.group is None and vaccines.group is None


def test_a_third_agency_joins_the_existing_group(receive):
    from khabar.wire.dedup import assign_group
    from khabar.wire.models import StoryGroup

    first = receive("رويترز", "ارتفاع إصابات حمى الضنك في أسوان", REUTERS)
    second = receive("أ ف ب", "مصر: ارتفاع اصابات حمّى الضنك في اسوان", AFP)
    assign_group(first)
    group = assign_group(second)

    third = receive("الأناضول", "مصر.. أكثر من 200 إصابة بحمى الضنك في أسوان", ANADOLU)

    assert assign_group(third) == group
    assert StoryGroup.objects.count() == 1
    assert group.items.count() == 3


def test_an_article_published_30_hours_ago_is_the_groups_article(receive, publish_article):
    from khabar.wire.dedup import assign_group

    article = publish_article(
        title="ارتفاع إصابات حمى الضنك في أسوان", dateline="القاهرة",
        paragraphs=[p.replace("القاهرة (رويترز) - ", "") for p in REUTERS], age=timedelta(hours=30),
    )
    item = receive("أ ف ب", "مصر: ارتفاع اصابات حمّى الضنك في اسوان", AFP)

    group = assign_group(item)

    assert group is not None and group.article_id == article.pk
    item.refresh_from_db()
    assert item.group == group


def test_an_article_published_60_hours_ago_is_too_old(receive, publish_article):
    from khabar.wire.dedup import assign_group

    publish_article(title="ارتفاع إصابات حمى الضنك في أسوان", paragraphs=REUTERS, age=timedelta(hours=60))
    item = receive("أ ف ب", "مصر: ارتفاع اصابات حمّى الضنك في اسوان", AFP)

    assert assign_group(item) is None


def test_a_wire_item_received_60_hours_ago_is_too_old(receive):
    from khabar.wire.dedup import assign_group

    old = receive("رويترز", "ارتفاع إصابات حمى الضنك في أسوان", REUTERS, age=timedelta(hours=60))
    assign_group(old)
    item = receive("أ ف ب", "مصر: ارتفاع اصابات حمّى الضنك في اسوان", AFP)

    assert assign_group(item) is None


def test_assigning_again_changes_nothing(receive):
    from khabar.wire.dedup import assign_group
    from khabar.wire.models import StoryGroup, WireItem

    first = receive("رويترز", "ارتفاع إصابات حمى الضنك في أسوان", REUTERS)
    second = receive("أ ف ب", "مصر: ارتفاع اصابات حمّى الضنك في اسوان", AFP)
    assign_group(first)
    group = assign_group(second)
    stored = bytes(WireItem.objects.get(pk=second.pk).signature)

    again = WireItem.objects.get(pk=second.pk)
    assert assign_group(again) == group
    assert assign_group(WireItem.objects.get(pk=first.pk)) == group
    assert bytes(WireItem.objects.get(pk=second.pk).signature) == stored
    assert StoryGroup.objects.count() == 1


def test_dateline_credit_and_spelling_do_not_change_the_signature():
    from khabar.wire.dedup import signature, similarity

    plain = signature("ارتفاع إصابات حمى الضنك", "قال مسؤولون إن عدد المصابين بحمى الضنك في أسوان ارتفع إلى 200 شخص.")
    wrapped = signature(
        "ارتفاع اصابات حمّى الضنك",
        "أسوان - أ ف ب: قال مسؤولون إنّ عدد المُصابين بحمى الضنك في اسوان ارتفع الى ٢٠٠ شخص.\n\n(أ ف ب)",
    )
    assert similarity(plain, wrapped) == 1.0


def test_a_deleted_copy_does_not_hide_a_live_one(receive):
    from khabar.wire.dedup import assign_group

    gone = receive("رويترز", "ارتفاع إصابات حمى الضنك في أسوان", REUTERS, guid="gone")
    assign_group(gone)
    gone.delete()
    kept = receive("رويترز", "ارتفاع إصابات حمى الضنك في أسوان", REUTERS, guid="kept")
    assert assign_group(kept) is None

    group = assign_group(receive("أ ف ب", "مصر: ارتفاع اصابات حمّى الضنك في اسوان", AFP))

    kept.refresh_from_db()
    assert group is not None and kept.group == group


def test_signatures_stored_by_earlier_versions_still_match():
    """Items keep the signature saved when they arrived: today's must be byte for byte the same."""
    from khabar.wire.dedup import signature

    body = (
        "القاهرة (رويترز) - قال مسؤولون في وزارة الصحة المصرية يوم الثلاثاء إن عدد المصابين بحمى الضنك في "
        "محافظة أسوان ارتفع إلى أكثر من 200 شخص.\n"
        "و\u0627\u0654ضاف\u064e المسؤولون أن الوزارة أرسلت فرقاً طبية\u200c إلى القرى (WHO)."  # أ decomposed (NFD)
    )
    stored = bytes.fromhex(  # computed by the first release of khabar.wire.dedup
        "011b000000f0d3d606cb01e1077566270a443f7d161aa2804796f5da6e39818d73b08fca7a237fe082efa00e83aab93c8ed16"
        "be4a448ac53a6d75470b5fd478db9daeda3bc114bbac34241c7c4e76a5dc60fb18cd053a083d5118fa6d54a9b9ed7848194e7"
        "2124d4e8c00419e90a4c19eb"
    )

    assert signature("ارتفاع إصابات حمى الضنك في أسوان", body) == stored
    assert signature("ارتفاع إصابات حمى الضنك في أسوان", body) == stored  # words now known: the same again


def test_an_item_another_process_signed_is_found(receive):
    from khabar.wire.dedup import assign_group, item_signature
    from khabar.wire.models import WireItem

    assign_group(receive("الأناضول", "مصر تبدأ حملة تطعيم ضد شلل الأطفال في الصعيد", OTHER_STORY))  # this process reads the window
    theirs = receive("رويترز", "ارتفاع إصابات حمى الضنك في أسوان", REUTERS)
    WireItem.objects.filter(pk=theirs.pk).update(signature=item_signature(theirs))  # as another worker's ingest saves it

    group = assign_group(receive("أ ف ب", "مصر: ارتفاع اصابات حمّى الضنك في اسوان", AFP))

    theirs.refresh_from_db()
    assert group is not None and theirs.group == group


def test_an_article_published_after_drafts_were_saved_is_found(receive, publish_article, section):
    """The ingest saves a draft for every item; the window must still see the next article published."""
    from khabar.news.models import ArticlePage
    from khabar.wire.dedup import assign_group

    assign_group(receive("الأناضول", "مصر تبدأ حملة تطعيم ضد شلل الأطفال في الصعيد", OTHER_STORY))
    for n in range(3):
        draft = ArticlePage(title=f"مسودة {n}", live=False)
        section.add_child(instance=draft)
        draft.save_revision(log_action=True)
    assert assign_group(receive("الأناضول", "خبر آخر", ["الرياض (واس) - افتتح أمير المنطقة معرضاً للكتاب."])) is None
    article = publish_article(title="ارتفاع إصابات حمى الضنك في أسوان",
                              paragraphs=[p.replace("القاهرة (رويترز) - ", "") for p in REUTERS])

    group = assign_group(receive("أ ف ب", "مصر: ارتفاع اصابات حمّى الضنك في اسوان", AFP))

    assert group is not None and group.article_id == article.pk
