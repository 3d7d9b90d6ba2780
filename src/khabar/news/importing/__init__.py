"""Bulk import of articles into the page tree.

- ``records``: reading and checking the corpus JSON Lines format into plain Records (no database);
- ``writer``: writing batches of new articles, with their sections, people and tags, into the tree;
  every importer (JSON Lines, WordPress) goes through it;
- ``tree_adapter``: the only module that touches Wagtail's and treebeard's private parts;
- ``jsonl``: ``import-articles`` itself, records to writer in batches.
"""

from khabar.news.importing.jsonl import BATCH_SIZE, ArticleImporter, ImportReport
from khabar.news.importing.records import DEFAULT_SECTION, BadRecord, Record, open_lines, parse_record
from khabar.news.importing.writer import ArticleWriter, NewArticle, PageTreeWriter, articles_imported

__all__ = [
    "BATCH_SIZE",
    "DEFAULT_SECTION",
    "ArticleImporter",
    "ArticleWriter",
    "BadRecord",
    "ImportReport",
    "NewArticle",
    "PageTreeWriter",
    "Record",
    "articles_imported",
    "open_lines",
    "parse_record",
]
