"""Indexes on Wagtail's page table for the reader's two hot lookups at 100,000 articles.

- "The newest articles of a section" (ArticleQuerySet.newest_in): a section's articles share the
  start of their tree path, 12 characters for a top-level section and 16 for a second-level one. An
  index on that start and the publication date reads a section's newest articles directly, however
  small the section or old its latest story. newest_in must write the expression exactly as here.
- An article or section by its address (HomePage.route): Wagtail does not index url_path, so each
  lookup read the whole table (40 ms at 100,000). PostgreSQL gets a hash index: a b-tree entry is
  capped at about 2.7 kB and a deep address of Arabic slugs could pass that.
- The newest republication (the sitemap index's date): read from the end of an index, not a scan.
"""

from django.db import migrations

PREFIXES = (12, 16)  # news.models.pages.SECTION_PREFIX_INDEXES
URL_PATH_INDEX = "news_page_url_path_idx"


def section_index(length):
    return f"news_section{length}_newest_idx"


def add_url_path_index(apps, schema_editor):
    method = "USING hash " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX {URL_PATH_INDEX} ON wagtailcore_page {method}(url_path)")


def drop_url_path_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX {URL_PATH_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("news", "0005_newsroom_groups_and_workflow")]

    operations = [
        *(
            migrations.RunSQL(
                f"CREATE INDEX {section_index(length)} ON wagtailcore_page (substr(path, 1, {length}), first_published_at)",
                f"DROP INDEX {section_index(length)}",
            )
            for length in PREFIXES
        ),
        migrations.RunPython(add_url_path_index, drop_url_path_index),
        migrations.RunSQL(
            "CREATE INDEX news_page_last_published_idx ON wagtailcore_page (last_published_at)",
            "DROP INDEX news_page_last_published_idx",
        ),
    ]
