from django.urls import path

from khabar.search.admin_views import SearchQueryReportView

app_name = "khabar_search_admin"
urlpatterns = [
    path("", SearchQueryReportView.as_view(), name="queries"),
    path("results/", SearchQueryReportView.as_view(results_only=True), name="queries_results"),
]
