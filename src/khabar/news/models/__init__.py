from .pages import ArticlePage, ArticleTag, HomePage, SectionPage  # noqa: F401
from .snippets import Agency, Author  # noqa: F401
