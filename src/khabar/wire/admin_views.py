"""The wire desk in the Wagtail admin: the listing of incoming items, the actions on them, the dashboard panel.

The listing is a Wagtail listing view (filters in the header's drawer, results refreshed in
place); its rows are stories, a duplicate group's first item with the other copies under it.
Every action is a POST (CSRF) that goes through khabar.wire.desk, which checks permissions.
"""

from functools import wraps

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.components import Component
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import BaseListingView

from khabar.arabic import CountedNoun, count_noun
from khabar.news.models import Agency
from khabar.wire import desk
from khabar.wire.models import WireItem

TITLE = "الوارد من الوكالات"
ICON = "globe"
ITEMS = CountedNoun("خبر واحد", "خبران", "أخبار", "خبراً", "خبر")
STORIES = CountedNoun("قصة واحدة", "قصتان", "قصص", "قصة", "قصة")
ALERTS = CountedNoun("تنبيه واحد", "تنبيهان", "تنبيهات", "تنبيهاً", "تنبيه")

WINDOWS = [("1", "آخر ساعة"), ("6", "آخر 6 ساعات"), ("24", "آخر 24 ساعة"), ("48", "آخر 48 ساعة")]
WAITING, ALERTED, HANDLED = "waiting", "alerts", "handled"
STATES = [(WAITING, "لم يُعالج بعد"), (ALERTED, "تنبيهات"), (HANDLED, "عولج")]


class DeskFilterSet(WagtailFilterSet):
    """Agency, section, time and state; the agency and section choices are read once a request."""

    agency = django_filters.ChoiceFilter(label="الوكالة", empty_label="كل الوكالات", method="filter_agency")
    section = django_filters.ChoiceFilter(label="القسم", empty_label="كل الأقسام", method="filter_section")
    window = django_filters.ChoiceFilter(
        label="الوقت", choices=WINDOWS, empty_label="كل الأوقات", method="filter_window", widget=forms.RadioSelect,
    )
    state = django_filters.ChoiceFilter(
        label="الحالة", choices=STATES, empty_label="الكل", method="filter_state", widget=forms.RadioSelect,
    )

    class Meta:
        model = WireItem
        fields = []

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.sections = {section.pk: section for section in desk.desk_sections(request.user)}
        self.filters["section"].extra["choices"] = [(pk, section.title) for pk, section in self.sections.items()]
        self.filters["agency"].extra["choices"] = list(Agency.objects.order_by("name").values_list("pk", "name"))

    def filter_agency(self, items, name, agency_id):
        return items.filter(agency_id=agency_id)

    def filter_section(self, items, name, section_id):
        return desk.in_section(items, self.sections[int(section_id)])

    def filter_window(self, items, name, hours):
        return desk.received_within(items, int(hours))

    def filter_state(self, items, name, state):
        return items.filter(
            {WAITING: desk.NEEDS_ATTENTION, ALERTED: desk.OPEN_ALERT, HANDLED: ~desk.NEEDS_ATTENTION}[state]
        )


class StoryPaginator(WagtailPaginator):
    @cached_property
    def items_count_label(self):
        """The footer's count: rows are stories, so "3 قصص", not a count of items."""
        return count_noun(self.count, STORIES)


class DeskView(BaseListingView):
    """Incoming items, a row per story, newest story first."""

    page_title = TITLE
    header_icon = ICON
    template_name = "wire/admin/desk.html"
    results_template_name = "wire/admin/desk_results.html"
    index_url_name = "wire_desk"
    index_results_url_name = "wire_desk_results"
    filterset_class = DeskFilterSet
    paginator_class = StoryPaginator
    paginate_by = 50  # stories a page: a busy hour of two or three agencies
    verbose_name_plural = "أخبار واردة"

    def dispatch(self, request, *args, **kwargs):
        if not desk.can_use_desk(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return desk.visible_items(self.request.user)

    @cached_property
    def filtered_items(self):
        return self.filter_queryset(self.get_base_queryset())

    def get_queryset(self):
        return desk.story_leads(self.filtered_items).select_related("agency", "article", "handled_by")

    @cached_property
    def no_results_message(self):
        return "لا أخبار واردة تطابق هذه التصفية." if self.is_filtering else "لا أخبار واردة بعد."

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        sections = self.filters.sections.values() if self.filters else ()
        context["stories"] = desk.stories(context["object_list"], self.filtered_items, self.request.user, sections)
        # Actions come back to the listing as the editor left it (the results URL serves only the table).
        query = self.request.GET.copy()
        query.pop("_w_filter_fragment", None)
        context["back_url"] = f"{self.index_url}?{query.urlencode()}" if query else self.index_url
        return context


# --- actions -----------------------------------------------------------------------------


def _item(request, pk):
    """The item if the user may see it at all; a 404 otherwise, so nothing tells them it exists."""
    if not desk.can_use_desk(request.user):
        raise PermissionDenied
    items = desk.visible_items(request.user).select_related("article", "agency", "group")
    return get_object_or_404(items, pk=pk)


def refuse_with_403(view):
    """A refused action answers 403 with a page saying so (Wagtail would redirect to the dashboard)."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            context = {"title": TITLE, "icon": ICON, "back": reverse("wire_desk")}
            return TemplateResponse(request, "wire/admin/forbidden.html", context, status=403)

    return guarded


def _back(request):
    return redirect(get_valid_next_url_from_request(request) or reverse("wire_desk"))


@require_POST
@refuse_with_403
def open_item(request, pk):
    """«افتح للتحرير»: the draft in Wagtail's page editor."""
    item = _item(request, pk)
    try:
        draft = desk.open_for_editing(item, request.user)
    except desk.DeskRefusal as refusal:
        messages.error(request, str(refusal))
        return _back(request)
    return redirect("wagtailadmin_pages:edit", draft.pk)


@require_POST
@refuse_with_403
def publish_item(request, pk):
    """«انشر كما هو»: the draft's latest revision goes live unchanged."""
    item = _item(request, pk)
    try:
        page = desk.publish_as_is(item, request.user)
    except desk.DeskRefusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"نُشر «{page.title}».", buttons=[messages.button(page.url, "اعرضه في الموقع")])
    return _back(request)


@require_POST
@refuse_with_403
def dismiss_item(request, pk):
    """«تجاهل»: handled, no page touched."""
    item = _item(request, pk)
    desk.dismiss(item, request.user)
    messages.success(request, f"تُرك «{item.headline}» دون نشر.")
    return _back(request)


class MergeForm(forms.Form):
    article = forms.ModelChoiceField(
        label="الخبر المنشور", queryset=None, empty_label=None,
        help_text="يُضاف الوارد إلى آخر الخبر مع سطر «تحديث» مؤرّخ في أعلاه.",
        error_messages={"invalid_choice": "اختر خبراً منشوراً من القائمة.", "required": "اختر خبراً منشوراً."},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = candidates
        self.fields["article"].label_from_instance = lambda article: article.title


@refuse_with_403
def merge_item(request, pk):
    """«ادمج في خبر منشور»: choose the article (GET), append the item to it as an update (POST)."""
    item = _item(request, pk)
    candidates = desk.merge_candidates(request.user, item)
    form = MergeForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            result = desk.merge_into(item, form.cleaned_data["article"], request.user)
        except desk.DeskRefusal as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, merge_message(result), buttons=[
                messages.button(reverse("wagtailadmin_pages:edit", args=[result.article.pk]), "افتح الخبر")
            ])
            return _back(request)
    form.fields["article"].queryset = candidates[: desk.MERGE_CANDIDATES]
    return TemplateResponse(request, "wire/admin/merge.html", {
        "item": item, "paragraphs": desk.item_paragraphs(item), "form": form, "title": TITLE, "icon": ICON,
        "next": get_valid_next_url_from_request(request) or reverse("wire_desk"),
    })


def merge_message(result):
    title = result.article.title
    if result.published:
        done = f"أُضيف التحديث إلى «{title}» ونُشر."
    elif result.kept_pending_edits:
        done = f"أُضيف التحديث إلى «{title}» مسودةً مع تعديلات لم تُنشر بعد فيه."
    else:
        done = f"أُضيف التحديث إلى «{title}» وأُرسل للمراجعة قبل النشر."
    return done + (" وحُذفت مسودة الوارد." if result.draft_deleted else "")


# --- the menu and the dashboard ----------------------------------------------------------


class DeskMenuItem(MenuItem):
    def is_shown(self, request):
        return desk.can_use_desk(request.user)


class DeskPanel(Component):
    """The dashboard's count of items waiting on the desk and of open alerts, linking to each."""

    name = "wire_desk"
    order = 90  # above Wagtail's own panels: incoming news is the desk's first job
    template_name = "wire/admin/dashboard_panel.html"

    def get_context_data(self, parent_context):
        waiting, alerts = desk.counts(parent_context["request"].user)
        url = reverse("wire_desk")
        return {
            "title": TITLE,
            "icon": ICON,
            "waiting": count_noun(waiting, ITEMS) if waiting else "لا أخبار",
            "alerts": count_noun(alerts, ALERTS) if alerts else "",
            "waiting_url": f"{url}?state={WAITING}",
            "alerts_url": f"{url}?state={ALERTED}",
        }
