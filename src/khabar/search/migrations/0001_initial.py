import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("news", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "page",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="news.articlepage",
                    ),
                ),
                ("section_id", models.IntegerField(db_index=True, null=True)),
                ("published_at", models.DateTimeField(db_index=True)),
                ("title", models.CharField(max_length=255)),
                ("url", models.CharField(blank=True, max_length=500)),
                ("title_terms", models.TextField(blank=True)),
                ("title_stems", models.TextField(blank=True)),
                ("lead_terms", models.TextField(blank=True)),
                ("lead_stems", models.TextField(blank=True)),
                ("body_terms", models.TextField(blank=True)),
                ("body_stems", models.TextField(blank=True)),
            ],
            options={
                "verbose_name": "وثيقة فهرس البحث",
                "db_table": "khabar_search_document",
            },
        ),
        migrations.CreateModel(
            name="SearchQueryLog",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField(verbose_name="اليوم")),
                ("query", models.CharField(max_length=200, verbose_name="عبارة البحث")),
                ("searches", models.PositiveIntegerField(default=0, verbose_name="عدد مرات البحث")),
                ("zero_results", models.PositiveIntegerField(default=0, verbose_name="مرات بلا نتائج")),
            ],
            options={
                "verbose_name": "سجل عبارات البحث",
                "verbose_name_plural": "سجل عبارات البحث",
                "db_table": "khabar_search_query_log",
                "indexes": [models.Index(fields=["day"], name="khabar_sear_day_0288ac_idx")],
                "constraints": [
                    models.UniqueConstraint(fields=("day", "query"), name="khabar_search_query_per_day")
                ],
            },
        ),
    ]
