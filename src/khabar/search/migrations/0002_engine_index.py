"""The engine's own index beside the document table: FTS5 tables on SQLite, tsvector columns on PostgreSQL.

The SQL lives with each backend (``create_engine_objects``), so this migration
and a backend can never disagree about the schema.
"""

from django.db import migrations


def create(apps, schema_editor):
    from khabar.search.backends import backend_class

    with schema_editor.connection.cursor() as cursor:
        backend_class(schema_editor.connection.vendor).create_engine_objects(cursor)


def drop(apps, schema_editor):
    from khabar.search.backends import backend_class

    with schema_editor.connection.cursor() as cursor:
        backend_class(schema_editor.connection.vendor).drop_engine_objects(cursor)


class Migration(migrations.Migration):
    dependencies = [("khabar_search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
