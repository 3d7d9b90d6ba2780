"""SQLite FTS5 over the analysed document table: the embedded mode.

FTS5's own tokenizers cannot analyse Arabic (``unicode61`` splits words at
every haraka and folds no hamza, ة or ى), and Python's ``sqlite3`` cannot
register a tokenizer, so the text reaching FTS5 is already analysed: runs of
folded letters or digits, one space apart, which ``unicode61`` keeps whole.

Two external-content FTS5 tables read ``khabar_search_document``, kept in step
by triggers, so any write to the document table (an index task, a cascade
when a page is deleted) updates them in the same transaction:
- ``khabar_search_fts``: six columns, surface and stem per field, ranked by
  bm25 with per-column weights (title > lead > body, surface > stem);
- ``khabar_search_title_fts``: the title's surfaces and stems with prefix
  indexes, for headline suggestions as the reader types.
"""

from __future__ import annotations

from khabar.search.backends.base import (
    COLUMNS,
    DOCUMENT_TABLE,
    TEXT_COLUMNS,
    Hit,
    SearchBackend,
    partial_word_forms,
    ranked_candidates,
)

FTS_TABLE = "khabar_search_fts"
TITLE_TABLE = "khabar_search_title_fts"
TITLE_COLUMNS = ("title_terms", "title_stems")
TOKENIZE = "unicode61 remove_diacritics 0"
# bm25 weight of each column of FTS_TABLE, in TEXT_COLUMNS order.
WEIGHTS = {
    "title_terms": 10.0, "title_stems": 6.0,
    "lead_terms": 4.0, "lead_stems": 2.5,
    "body_terms": 1.0, "body_stems": 0.6,
}
TITLE_WEIGHTS = (2.0, 1.0)
# Scores this close are a tie, and the newer article goes first.
TIE = 0.05
TIE_BREAK_SPARE = 20  # rows fetched past the page, so a tie at its edge can still be broken by date

SURFACE_COLUMNS = "{title_terms lead_terms body_terms}"
STEM_COLUMNS = "{title_stems lead_stems body_stems}"


def _triggers():
    fts_cols = ", ".join(TEXT_COLUMNS)
    title_cols = ", ".join(TITLE_COLUMNS)

    def values(prefix, columns):
        return ", ".join(f"{prefix}.{c}" for c in columns)

    def insert(prefix):
        return (
            f"INSERT INTO {FTS_TABLE}(rowid, {fts_cols}) VALUES ({prefix}.page_id, {values(prefix, TEXT_COLUMNS)});"
            f"INSERT INTO {TITLE_TABLE}(rowid, {title_cols}) VALUES ({prefix}.page_id, {values(prefix, TITLE_COLUMNS)});"
        )

    def delete(prefix):
        return (
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {fts_cols}) "
            f"VALUES ('delete', {prefix}.page_id, {values(prefix, TEXT_COLUMNS)});"
            f"INSERT INTO {TITLE_TABLE}({TITLE_TABLE}, rowid, {title_cols}) "
            f"VALUES ('delete', {prefix}.page_id, {values(prefix, TITLE_COLUMNS)});"
        )

    return {
        "khabar_search_document_ai": f"AFTER INSERT ON {DOCUMENT_TABLE} BEGIN {insert('new')} END",
        "khabar_search_document_ad": f"AFTER DELETE ON {DOCUMENT_TABLE} BEGIN {delete('old')} END",
        "khabar_search_document_au": f"AFTER UPDATE ON {DOCUMENT_TABLE} BEGIN {delete('old')} {insert('new')} END",
    }


def quote(term: str) -> str:
    """An FTS5 string: whatever ``term`` holds, FTS5 reads it as one word, never as syntax."""
    return '"' + term.replace('"', '""') + '"'


def _any(words, prefix=False):
    star = " *" if prefix else ""
    return "(" + " OR ".join(quote(w) + star for w in words) + ")"


def term_expression(term, ranked=True, settled=frozenset()) -> str:
    """A query word: any of its stems, or its surface form (which ranks it higher).

    Unranked, the stems alone: a word's surface is indexed with its stem at the same position,
    so they match the same articles, and FTS5 reads half the lists. ``settled``: stems that
    are their own stem (see ``_stems``).
    """
    if not ranked:
        return _stems(term.stems, settled)
    return f"({STEM_COLUMNS} : {_any(term.stems)} OR {SURFACE_COLUMNS} : {quote(term.surface)})"


def _stems(stems, settled) -> str:
    """Articles holding any of ``stems`` as a stem.

    When each is its own stem, no column filter is needed: one of them in a surface column has
    itself as the stem at the same place, so the articles are the same, and FTS5 counts a
    term's articles in half the time when it need not read where in them it stands.
    """
    if all(stem in settled for stem in stems):
        return _any(stems)
    return f"{STEM_COLUMNS} : {_any(stems)}"


def match_expression(query, any_word: bool, ranked: bool = True, settled=frozenset()) -> str:
    """The FTS5 MATCH string for ``query``; every word in it is quoted.

    ``ranked``: with the surface forms that bm25 ranks above stems. Without them (for counting
    and for listing by date) it matches the same articles for less work. ``settled``: the
    query's stems that the index's stemmer leaves as they are (see ``_stems``).
    """
    required = [f"{SURFACE_COLUMNS} : {quote(t.surface)}" for t in query.exact]
    for phrase in query.phrases:
        stems = quote(" ".join(t.stem for t in phrase))
        surfaces = quote(" ".join(t.surface for t in phrase))
        if ranked:
            required.append(f"({STEM_COLUMNS} : {stems} OR {SURFACE_COLUMNS} : {surfaces})")
        else:
            # One column filter for the whole phrase: its words must stand together in one column.
            settled_phrase = all(t.stem in settled for t in phrase)
            required.append(stems if settled_phrase else f"{STEM_COLUMNS} : {stems}")
    words = [term_expression(t, ranked, settled) for t in query.terms]
    if words and any_word:
        required.append("(" + " OR ".join(words) + ")")
    else:
        required.extend(words)
    expression = " AND ".join(required)
    if query.excluded:
        # An excluded surface has the excluded stem at the same place: the stems alone leave out the same articles.
        expression = f"({expression}) NOT ({_stems([t.stem for t in query.excluded], settled)})"
    return expression


class SQLiteSearchBackend(SearchBackend):
    vendor = "sqlite"

    @classmethod
    def create_engine_objects(cls, cursor):
        for table, columns, options in (
            (FTS_TABLE, TEXT_COLUMNS, ""),
            (TITLE_TABLE, TITLE_COLUMNS, ", prefix='2 3'"),
        ):
            cursor.execute(
                f"CREATE VIRTUAL TABLE {table} USING fts5({', '.join(columns)}, "
                f"content='{DOCUMENT_TABLE}', content_rowid='page_id', tokenize='{TOKENIZE}'{options})"
            )
        cls._create_triggers(cursor)

    @classmethod
    def drop_engine_objects(cls, cursor):
        cls._drop_triggers(cursor)
        cursor.execute(f"DROP TABLE IF EXISTS {TITLE_TABLE}")
        cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")

    @staticmethod
    def _create_triggers(cursor):
        for name, body in _triggers().items():
            cursor.execute(f"CREATE TRIGGER {name} {body}")

    @staticmethod
    def _drop_triggers(cursor):
        for name in _triggers():
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")

    # --- writing ----------------------------------------------------------------
    def _insert(self, rows):
        adapt = self.connection.ops.adapt_datetimefield_value
        marks = ", ".join(["%s"] * len(COLUMNS))
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {DOCUMENT_TABLE} ({', '.join(COLUMNS)}) VALUES ({marks})",
                [[adapt(row[c]) if c == "published_at" else row[c] for c in COLUMNS] for row in rows],
            )

    def clear(self):
        # A rebuild loads everything anew: index it in one pass ("rebuild") instead
        # of row by row through the triggers, which are back before commit.
        with self.connection.cursor() as cursor:
            self._drop_triggers(cursor)
            cursor.execute(f"DELETE FROM {DOCUMENT_TABLE}")

    def _after_rebuild(self):
        with self.connection.cursor() as cursor:
            for table in (FTS_TABLE, TITLE_TABLE):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
            self._create_triggers(cursor)

    def rebuild(self, batches, progress=None):
        try:
            return super().rebuild(batches, progress)
        finally:
            # The rebuild transaction rolled back or committed: either way the triggers exist again.
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'khabar_search_%'")
                if cursor.fetchone()[0] < len(_triggers()):
                    self._drop_triggers(cursor)
                    self._create_triggers(cursor)

    # --- reading ----------------------------------------------------------------
    def _search(self, query, filters, order, offset, limit, any_word):
        weights = ", ".join(str(WEIGHTS[c]) for c in TEXT_COLUMNS)
        # Counting, finding the window and listing by date need only which articles match: the
        # surface forms that bm25 ranks higher are added for the ranking alone.
        stems = {s for t in (*query.terms, *query.excluded, *(t for p in query.phrases for t in p)) for s in t.stems}
        settled = frozenset(s for s in stems if self.analyzer.stemmer(s) == s)
        where, params = [f"{FTS_TABLE} MATCH %s"], [match_expression(query, any_word, ranked=False, settled=settled)]
        adapt = self.connection.ops.adapt_datetimefield_value
        if filters["section_ids"]:
            where.append(f"d.section_id IN ({', '.join(['%s'] * len(filters['section_ids']))})")
            params.extend(filters["section_ids"])
        if filters["since"]:
            where.append("d.published_at >= %s")
            params.append(adapt(filters["since"]))
        if filters["until"]:
            where.append("d.published_at < %s")
            params.append(adapt(filters["until"]))
        # The document table is joined only when a filter or the order needs it: a common word
        # matches tens of thousands of rows, and every join and sort on them costs the reader
        # (counting «السعودية» by date through the join took 37 ms at 100,000 articles).
        # CROSS JOIN keeps FTS5 as the outer loop: otherwise SQLite may walk a section's rows and run
        # the MATCH once per row, which takes seconds instead of milliseconds.
        filtered = len(where) > 1

        def source(document=filtered):
            join = f" CROSS JOIN {DOCUMENT_TABLE} d ON d.page_id = {FTS_TABLE}.rowid" if document else ""
            return f"FROM {FTS_TABLE}{join} WHERE {' AND '.join(where)}"

        window = self.ranked_matches(any_word)
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) {source()}", params)
            total = cursor.fetchone()[0]
            if not total or offset >= total:
                return [], total
            if total > window:
                # A broad query: rank only the newest matches (FTS5 walks rowids without scoring).
                cursor.execute(
                    f"SELECT {FTS_TABLE}.rowid {source()} ORDER BY {FTS_TABLE}.rowid DESC LIMIT 1 OFFSET %s",
                    [*params, window - 1],
                )
                where.append(f"{FTS_TABLE}.rowid >= %s")
                params.append(cursor.fetchone()[0])
            if order == "date":
                cursor.execute(
                    f"SELECT d.page_id, 0 {source(document=True)} ORDER BY d.published_at DESC, d.page_id DESC "
                    "LIMIT %s OFFSET %s",
                    [*params, limit, offset],
                )
                return [Hit(page_id, 0.0) for page_id, _ in cursor.fetchall()], total
            # The best-scored rows, with some to spare, then the recency tie-break among them.
            wanted = offset + limit + TIE_BREAK_SPARE
            cursor.execute(
                f"SELECT {FTS_TABLE}.rowid, bm25({FTS_TABLE}, {weights}) AS score {source()} ORDER BY score LIMIT %s",
                [match_expression(query, any_word), *params[1:], wanted],
            )
            scores = dict(cursor.fetchall())
            marks = ", ".join(["%s"] * len(scores))
            cursor.execute(f"SELECT page_id, published_at FROM {DOCUMENT_TABLE} WHERE page_id IN ({marks})", list(scores))
            dates = dict(cursor.fetchall())
        ranked = sorted(scores, key=lambda pk: (dates.get(pk) or "", pk), reverse=True)  # newest first...
        ranked.sort(key=lambda pk: round(scores[pk] / TIE))  # ...within each tie (a stable sort keeps that order)
        # bm25 is negative, lower is better; hits carry a score where higher is better.
        return [Hit(pk, -scores[pk]) for pk in ranked[offset:offset + limit]], total

    def _title_match(self, words):
        clauses = []
        for index, (surface, stems) in enumerate(words):
            if index == len(words) - 1:  # the word being typed
                forms = partial_word_forms(surface, stems)
                clauses.append(f"(title_terms : {_any(forms, True)} OR title_stems : {_any(forms, True)})")
            else:
                clauses.append(f"(title_terms : {_any([surface])} OR title_stems : {_any(stems)})")
        return " AND ".join(clauses)

    def _suggest(self, words, limit):
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, bm25({TITLE_TABLE}, {TITLE_WEIGHTS[0]}, {TITLE_WEIGHTS[1]}) AS score FROM {TITLE_TABLE} "
                f"WHERE {TITLE_TABLE} MATCH %s ORDER BY score LIMIT %s",
                [self._title_match(words), limit * 3],
            )
            scores = dict(cursor.fetchall())
            if not scores:
                return []
            marks = ", ".join(["%s"] * len(scores))
            cursor.execute(
                f"SELECT page_id, title, url, published_at FROM {DOCUMENT_TABLE} WHERE page_id IN ({marks})", list(scores)
            )
            rows = {row[0]: row for row in cursor.fetchall()}
        ranked = sorted(rows, key=lambda pk: rows[pk][3] or "", reverse=True)
        ranked.sort(key=lambda pk: round(scores[pk] / TIE))
        return ranked_candidates([rows[pk][:3] for pk in ranked], limit)

    def _titles_with_prefixes(self, prefixes, limit):
        match = " OR ".join(f"title_terms : {quote(p)} * OR title_stems : {quote(p)} *" for p in prefixes)
        sql = (
            f"SELECT d.title_terms FROM {TITLE_TABLE} CROSS JOIN {DOCUMENT_TABLE} d ON d.page_id = {TITLE_TABLE}.rowid "
            f"WHERE {TITLE_TABLE} MATCH %s LIMIT %s"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [match, limit])
            return [row[0] for row in cursor.fetchall()]
