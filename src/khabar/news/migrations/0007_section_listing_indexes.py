"""Section and article-count indexes that answer from the index alone, without reading page rows.

- 0006's section indexes (path start, date) found a section's newest articles, but every row a
  listing skips (page 50 skips 980) or counts (its pager's total) was still read from the page table
  to check ``live``. These replace them with indexes that also hold what the listing filters on:
  the page id (the tie-break of "newest first"), ``live``, the content type and the path (a
  view restriction's prefix). SectionPage.index_route pages through them (news.models.pages.KeyedListing).
- The number of live articles (the sitemap index's page count, once per purge): ``live`` beside the
  content type, counted from the index alone.
"""

from django.db import migrations

PREFIXES = (12, 16)  # news.models.pages.SECTION_PREFIX_INDEXES
LISTED = "first_published_at, id, live, content_type_id, path"


def old_index(length):
    return f"news_section{length}_newest_idx"


def new_index(length):
    return f"news_section{length}_listing_idx"


def section_indexes(length):
    return [
        migrations.RunSQL(
            f"CREATE INDEX {new_index(length)} ON wagtailcore_page (substr(path, 1, {length}), {LISTED})",
            f"DROP INDEX {new_index(length)}",
        ),
        migrations.RunSQL(
            f"DROP INDEX {old_index(length)}",
            f"CREATE INDEX {old_index(length)} ON wagtailcore_page (substr(path, 1, {length}), first_published_at)",
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [("news", "0006_section_newest_indexes")]

    operations = [
        *(operation for length in PREFIXES for operation in section_indexes(length)),
        migrations.RunSQL(
            "CREATE INDEX news_page_type_live_idx ON wagtailcore_page (content_type_id, live)",
            "DROP INDEX news_page_type_live_idx",
        ),
    ]
