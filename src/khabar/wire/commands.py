"""``khabar wire``: add an agency feed, or pull every feed once now.

    khabar wire add-feed AGENCY URL [--format auto|rss|atom|ninjs|newsml] [--section SECTION]
    khabar wire pull [--json] [--section SECTION]

Only ``add_arguments`` is used before Django is set up, so this module imports no models at the top.
"""

import json
import sys

FORMATS = ("auto", "rss", "atom", "ninjs", "newsml")
COUNTS = ("new", "updated", "duplicates", "withdrawn")
_HEADINGS = {"new": "جديد", "updated": "محدَّث", "duplicates": "مكرر", "withdrawn": "مسحوب", "errors": "أخطاء"}


def add_arguments(parser):
    """The ``wire`` subcommands, on the ``khabar wire`` parser."""
    actions = parser.add_subparsers(dest="action", required=True)
    p = actions.add_parser("add-feed", help="set an agency's feed (the agency is created if none has that name)")
    p.add_argument("agency", help="the agency's name, e.g. «وكالة الصحافة الفرنسية»")
    p.add_argument("url", help="the feed's http(s) address")
    p.add_argument("--format", choices=FORMATS, default="auto", help="default: auto (read from the feed itself)")
    p.add_argument("--section", default="", help="the section its drafts go to (title or slug)")
    p = actions.add_parser("pull", help="pull every configured feed once, now")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--section", default="", help="section for drafts of agencies that have none set")


def run(args):
    """Carry out a parsed ``khabar wire`` command; returns the exit status."""
    try:
        section = find_section(args.section) if args.section else None
    except LookupError as error:
        print(error, file=sys.stderr)
        return 1
    if args.action == "add-feed":
        return add_feed(args.agency, args.url, args.format, section)
    return pull_all(section, as_json=args.json)


def find_section(name):
    """The section titled or slugged ``name``; LookupError (Arabic message) when there is none."""
    from django.db.models import Q

    from khabar.news.models import SectionPage

    section = SectionPage.objects.filter(Q(title=name) | Q(slug=name)).order_by("depth", "path").first()
    if section is None:
        raise LookupError(f"لا يوجد قسم باسم «{name}»")
    return section


def add_feed(name, url, fmt="auto", section=None):
    """Point agency ``name`` (created if missing) at the feed ``url``; its next pull is due at once."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    from khabar.news.models import Agency
    from khabar.wire.models import FeedState

    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        print(f"رابط غير صالح: {url} (يجب أن يبدأ بـ http:// أو https://)", file=sys.stderr)
        return 2
    name = " ".join(name.split())
    agency = Agency.objects.filter(name=name).first() or Agency.objects.filter(credit=name).first()
    created = agency is None
    if created:
        agency = Agency(name=name)
    agency.feed_url, agency.feed_format = url, fmt
    if section is not None:
        agency.feed_section = section
    agency.save()
    # A new address starts afresh: no validators of the old one, no back-off, due now.
    FeedState.objects.update_or_create(
        agency=agency, defaults={"etag": "", "last_modified": "", "failures": 0, "last_error": "", "next_poll_at": None}
    )
    where = f"، ومسوداتها في قسم «{agency.feed_section.title}»" if agency.feed_section_id else ""
    verb = "أُنشئت الوكالة" if created else "حُدّثت خدمة الوكالة"
    print(f"{verb} «{agency.name}»: {url} ({fmt}){where}")
    return 0


def pull_all(section=None, as_json=False):
    """Pull every agency that has a feed, now, whatever its next poll time; prints a summary."""
    from khabar.news.models import Agency
    from khabar.wire.ingest import pull

    agencies = Agency.objects.exclude(feed_url="")
    feeds = {agency.name: pull(agency, fallback_section=section).as_dict() for agency in agencies}
    totals = {key: sum(summary[key] for summary in feeds.values()) for key in COUNTS}
    totals["errors"] = sum(len(summary["errors"]) for summary in feeds.values())
    if as_json:
        print(json.dumps({"feeds": feeds, "totals": totals}, ensure_ascii=False, indent=2))
    elif not feeds:
        print("لا توجد خدمات أخبار بعد. أضف واحدة: khabar wire add-feed AGENCY URL")
    else:
        print(_table(feeds, totals))
    return 0


def _table(feeds, totals):
    columns = [*COUNTS, "errors"]
    rows = [[name, *(str(s[key]) for key in COUNTS), str(len(s["errors"]))] for name, s in feeds.items()]
    rows.append(["المجموع", *(str(totals[key]) for key in columns)])
    header = ["الخدمة", *(_HEADINGS[key] for key in columns)]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)) for row in [header, *rows]]
    for name, summary in feeds.items():
        lines += [f"{name}: {error}" for error in summary["errors"]]
    return "\n".join(lines)
