"""The editors' report of what readers search for: most frequent queries and those that found nothing."""

from datetime import timedelta

from django.db.models import Sum
from django.utils import timezone
from django_filters import ChoiceFilter, DateFromToRangeFilter
from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, NumberColumn
from wagtail.admin.views.reports import ReportView

from khabar.search.models import SearchQueryLog

PERMISSION = "khabar_search.view_searchquerylog"
DEFAULT_DAYS = 30


class SearchQueryFilterSet(WagtailFilterSet):
    day = DateFromToRangeFilter(label="التاريخ", widget=DateRangePickerWidget)
    found = ChoiceFilter(
        label="النتائج",
        empty_label="كل العبارات",
        choices=[("none", "بلا نتائج فقط")],
        method="filter_found",
    )

    class Meta:
        model = SearchQueryLog
        fields = []

    def filter_found(self, queryset, name, value):
        return queryset.filter(zero_results__gt=0) if value == "none" else queryset


class SearchQueryReportView(ReportView):
    page_title = "عبارات البحث"
    header_icon = "search"
    index_url_name = "khabar_search_admin:queries"
    index_results_url_name = "khabar_search_admin:queries_results"
    filterset_class = SearchQueryFilterSet
    is_searchable = False
    default_ordering = "-total_searches"
    columns = [
        Column("query", label="عبارة البحث (بصيغة البحث)", accessor=lambda row: row["query"], sort_key="query"),
        NumberColumn("total_searches", label="مرات البحث", accessor=lambda row: row["total_searches"], sort_key="total_searches"),
        NumberColumn("total_zero", label="مرات بلا نتائج", accessor=lambda row: row["total_zero"], sort_key="total_zero"),
    ]
    list_export = ["query", "total_searches", "total_zero"]
    export_headings = {"query": "عبارة البحث", "total_searches": "مرات البحث", "total_zero": "مرات بلا نتائج"}

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        if not (kwargs.get("data") or {}).get("day_after"):
            # Without a chosen range, the last month: the report answers "what are readers looking for now?"
            data = kwargs.get("data").copy() if kwargs.get("data") is not None else {}
            data.setdefault("day_after", (timezone.localdate() - timedelta(days=DEFAULT_DAYS)).isoformat())
            kwargs["data"] = data
        return kwargs

    def get_base_queryset(self):
        return SearchQueryLog.objects.all()

    def get_queryset(self):
        queryset = self.filter_queryset(self.get_base_queryset())
        rows = queryset.values("query").annotate(total_searches=Sum("searches"), total_zero=Sum("zero_results"))
        ordering = self.get_ordering()
        if ordering:
            rows = rows.order_by(ordering, "query")
        return rows

    def get_filtered_queryset(self):
        return self.get_queryset()

    def to_row_dict(self, item):
        return {field: item[field] for field in self.list_export}
