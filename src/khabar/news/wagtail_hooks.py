from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from khabar.news.models import Agency, Author


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = "الكتّاب"
    add_to_admin_menu = True
    list_display = ["name", "role"]
    search_fields = ["name"]


class AgencyViewSet(SnippetViewSet):
    model = Agency
    icon = "site"
    menu_label = "الوكالات"
    add_to_admin_menu = True
    list_display = ["name", "credit"]


register_snippet(AuthorViewSet)
register_snippet(AgencyViewSet)
