from .pages import ArticleNote, ArticlePage, ArticleTag, HomePage, InfoPage, SectionPage  # noqa: F401
from .snippets import Agency, Author  # noqa: F401
