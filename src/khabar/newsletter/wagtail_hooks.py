"""The newsletter in the Wagtail admin: subscribers (filters, CSV export) and issues (progress, preview, test copy)."""

from django.urls import path, reverse
from django.utils.safestring import mark_safe
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import ListingButton

from khabar.news import slots
from khabar.newsletter import admin_views
from khabar.newsletter.models import Issue, Subscriber, progress_annotations
from khabar.pagecache import fragments


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "mail"
    menu_label = "المشتركون"
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = [
        "email",
        "name",
        Column("status", label="الحالة", accessor="get_status_display"),
        Column("lists_label", label="النشرات"),
        DateColumn("created_at", label="التسجيل"),
        DateColumn("confirmed_at", label="التأكيد"),
        DateColumn("unsubscribed_at", label="الإلغاء"),
    ]
    list_filter = ["status", "daily", "weekly", "breaking", "created_at", "confirmed_at"]
    search_fields = ["email", "name"]
    list_export = [
        "email", "name", "status", "daily", "weekly", "breaking",
        "created_at", "confirmed_at", "unsubscribed_at", "bounce_count",
    ]
    export_headings = {
        "email": "البريد الإلكتروني", "name": "الاسم", "status": "الحالة",
        "daily": "يومية", "weekly": "أسبوعية", "breaking": "عاجل",
        "created_at": "التسجيل", "confirmed_at": "التأكيد", "unsubscribed_at": "الإلغاء",
        "bounce_count": "مرات الارتداد",
    }
    export_filename = "newsletter-subscribers"
    form_fields = ["email", "name", "status", "daily", "weekly", "breaking"]


class IssueIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().annotate(**progress_annotations())

    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        preview = reverse("newsletter_issue:preview", args=[instance.pk])
        test_copy = reverse("newsletter_issue:test_copy", args=[instance.pk])
        buttons[:0] = [
            ListingButton("معاينة", url=preview, icon_name="view"),
            ListingButton("نسخة تجريبية", url=test_copy, icon_name="mail"),
        ]
        return buttons


class IssueViewSet(ModelViewSet):
    """Issues are built by digests and breaking news, never typed in: list, inspect, preview, test copy."""

    model = Issue
    name = "newsletter_issue"
    icon = "doc-full"
    menu_label = "أعداد النشرة"
    index_view_class = IssueIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "subject",
        Column("kind", label="النوع", accessor="get_kind_display"),
        DateColumn("created_at", label="أُنشئ"),
        Column("total_count", label="المستلمون"),
        Column("pending_count", label="بالانتظار"),
        Column("sent_count", label="أُرسل"),
        Column("failed_count", label="فشل"),
        Column("unknown_count", label="غير مؤكد"),
        DateColumn("finished_at", label="اكتمل"),
    ]
    list_filter = ["kind", "created_at"]
    inspect_view_fields = ["subject", "kind", "created_at", "covers_since", "covers_until", "finished_at", "source"]

    def get_common_view_kwargs(self, **kwargs):
        # No add, edit or delete: an issue is a record of what was sent.
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("add", "edit", "delete", "history", "usage"):
            view_kwargs[f"{name}_url_name"] = None
        return view_kwargs

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("preview/<int:pk>/", admin_views.preview_issue, name="preview"),
            path("test-copy/<int:pk>/", admin_views.send_test_copy, name="test_copy"),
        ]


class NewsletterViewSetGroup(ModelViewSetGroup):
    menu_label = "النشرة البريدية"
    menu_icon = "mail"
    menu_order = 300
    items = (SubscriberViewSet("newsletter_subscriber"), IssueViewSet())


@hooks.register("register_admin_viewset")
def register_newsletter_viewsets():
    return NewsletterViewSetGroup()


_render_box = slots.include("newsletter/includes/box.html")


@hooks.register(slots.hook_name(slots.FOOTER_TOP))
def newsletter_box(context):
    """The sign-up box at the top of every page's footer (the newsletter's own pages hide it).

    The blank box is the same on every page: built once per site-wide purge, not per render.
    """
    if context.get("newsletter_box_hidden") or context.get("newsletter_form") is not None:
        return _render_box(context)
    return mark_safe(fragments.cached("newsletter-box", lambda: (_render_box(context), None))[0])  # our template
