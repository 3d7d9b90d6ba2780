"""The newsroom's groups (المحررون، رؤساء الأقسام، المشرفون) and the workflow «من المحرر إلى رئيس القسم».

Only adds what is missing, so it is safe on an existing site; reversing it leaves the groups in place
(they may have members by then). See khabar.news.workflow.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from khabar.news import workflow

# Apps whose permissions the groups receive: Django creates permissions only after every migration
# has run, so on a new database they are created here first.
PERMISSION_APPS = ["wagtailcore", "wagtailimages", "wagtaildocs", "news", "comments"]


def create_missing_permissions(apps):
    for label in PERMISSION_APPS:
        try:
            app_config = apps.get_app_config(label)
        except LookupError:  # khabar.comments not installed
            continue
        # Historical app configs carry no models module, which create_permissions takes as "no models".
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def forwards(apps, schema_editor):
    create_missing_permissions(apps)
    workflow.set_up_newsroom(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0004_wire_feed_and_article_notes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]
    # news does not need comments; when it is installed, its tables must exist for the moderators' rights.
    if global_apps.is_installed("khabar.comments"):
        dependencies.append(("comments", "0001_initial"))

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
