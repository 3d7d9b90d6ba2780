"""The admin page where an editor uploads a WordPress export and watches it come in."""

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from khabar.wordpress.models import ImportRun
from khabar.wordpress.report import KINDS
from khabar.wordpress.tasks import run_import

UPLOAD_FOLDER = "imports"


class UploadForm(forms.Form):
    export = forms.FileField(
        label="ملف التصدير (XML)",
        help_text="من لوحة ووردبريس: أدوات ← تصدير ← كل المحتوى.",
        error_messages={"required": "اختر ملف التصدير أولاً."},
    )
    media = forms.URLField(
        label="عنوان مجلد الصور (اختياري)",
        required=False,
        assume_scheme="https",
        help_text="مثل https://example.com/wp-content/uploads — يترك فارغاً لتنزيل كل صورة من عنوانها في الملف.",
        error_messages={"invalid": "اكتب عنواناً كاملاً يبدأ بـ https://"},
    )

    def clean_export(self):
        upload = self.cleaned_data["export"]
        head = upload.read(2048)
        upload.seek(0)
        if not upload.name.lower().endswith(".xml") or b"<rss" not in head and b"<?xml" not in head:
            raise forms.ValidationError("هذا ليس ملف تصدير من ووردبريس: الملف المطلوب بصيغة XML (WXR).")
        return upload


def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        export = form.cleaned_data["export"]
        folder = Path(settings.DATA_DIR) / UPLOAD_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{uuid.uuid4().hex}.xml"
        with path.open("wb") as target:
            for chunk in export.chunks():
                target.write(chunk)
        run = ImportRun.objects.create(
            file=str(path), original_name=export.name[:255], media=form.cleaned_data["media"], created_by=request.user
        )
        transaction.on_commit(lambda: run_import.enqueue(run.pk))
        return redirect("wordpress_import_run", run.pk)
    runs = ImportRun.objects.all()[:20]
    return TemplateResponse(request, "wordpress/admin/upload.html", {"form": form, "runs": runs})


def run_detail(request, pk):
    run = get_object_or_404(ImportRun, pk=pk)
    tallies = [(KINDS[kind], tally) for kind, tally in run.report.get("tallies", {}).items() if kind in KINDS]
    return TemplateResponse(
        request,
        "wordpress/admin/run.html",
        {"run": run, "tallies": tallies, "working": run.status in (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING)},
    )
