"""PostgreSQL full-text search over the analysed document table: the scaled-out mode.

PostgreSQL's ``arabic`` configuration folds neither ة/ه nor ى/ي and over-stems
(فلسطين -> لسط), so no text configuration analyses anything here: the tsvector
values are written as literals built from khabar's own analysis (positions and
weights included), and queries as tsquery literals built from analysed words.
No parser, dictionary or locale of the server is involved, and nothing a
reader typed is ever parsed as tsquery syntax.

Three columns beside the document table's own (added by migration 0002):
- ``search_vector``: stems, weight A in the title, B in the lead, C in the body
  (GIN index): what a query must match;
- ``exact_vector``: folded surface forms with the same weights: ranks exact
  forms above stem-only matches;
- ``title_vector``: the title's surfaces and stems (GIN index): prefix
  queries for headline suggestions.
"""

from __future__ import annotations

from django.db import transaction

from khabar.search.backends.base import (
    COLUMNS,
    DOCUMENT_TABLE,
    Hit,
    SearchBackend,
    partial_word_forms,
    ranked_candidates,
)

VECTOR_COLUMNS = ("search_vector", "exact_vector", "title_vector")
# ts_rank weights for {D, C, B, A}: body (C) < lead (B) < title (A).
RANK_WEIGHTS = "{0.0, 0.2, 0.45, 1.0}"
EXACT_BOOST = 1.0  # the exact-form rank is added to the stem rank with this factor
TIE = 0.002  # ranks this close are a tie, and the newer article goes first
MAX_POSITIONS = 255  # positions kept per lexeme; more repeats say nothing more
FIELD_GAP = 2  # positions left empty between fields, so a phrase never spans title and lead
EXCLUSION_RECHECK_LIMIT = 2000  # candidates up to which an -exclusion is checked row by row


def lexeme(word: str) -> str:
    """A quoted tsvector/tsquery lexeme: whatever ``word`` holds, PostgreSQL reads it as one word."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(fields) -> str:
    """A tsvector literal from ``[(words, weight), ...]``: each word at its position, with its field's weight."""
    positions: dict[str, list[str]] = {}
    at = 0
    for words, weight in fields:
        for offset, word in enumerate(words, start=at + 1):
            kept = positions.setdefault(word, [])
            if len(kept) < MAX_POSITIONS:
                kept.append(f"{min(offset, 16383)}{weight}")
        at += len(words) + FIELD_GAP
    return " ".join(f"{lexeme(word)}:{','.join(pos)}" for word, pos in positions.items())


def _any(words, suffix=""):
    return "(" + " | ".join(lexeme(w) + suffix for w in dict.fromkeys(words)) + ")"


def match_tsquery(query, any_word: bool) -> tuple[str, str, str]:
    """(tsquery a result's stems must match, tsquery its exact forms must match or "", tsquery it must not match or "")."""
    required = ["(" + " <-> ".join(lexeme(t.stem) for t in phrase) + ")" for phrase in query.phrases]
    required += [_any(t.stems) for t in query.exact]
    words = [_any(t.stems) for t in query.terms]
    if words and any_word:
        required.append("(" + " | ".join(words) + ")")
    else:
        required.extend(words)
    exact = " & ".join(lexeme(t.surface) for t in query.exact)
    excluded = _any([t.stem for t in query.excluded]) if query.excluded else ""
    return " & ".join(required), exact, excluded


def rank_tsqueries(query) -> tuple[str, str]:
    """(stems, surfaces) of every positive word, each as an OR tsquery: what a result is ranked by."""
    terms = query.positive_terms()
    return _any([s for t in terms for s in t.stems]), _any([t.surface for t in terms])


class PostgresSearchBackend(SearchBackend):
    vendor = "postgresql"
    rank_window = 1000  # ts_rank detoasts two vectors per row: ~15 µs each, against FTS5's ~1.5 µs

    @classmethod
    def create_engine_objects(cls, cursor):
        columns = ", ".join(f"ADD COLUMN {c} tsvector NOT NULL DEFAULT ''" for c in VECTOR_COLUMNS)
        cursor.execute(f"ALTER TABLE {DOCUMENT_TABLE} {columns}")
        cursor.execute(f"CREATE INDEX khabar_search_document_search ON {DOCUMENT_TABLE} USING gin (search_vector)")
        cursor.execute(f"CREATE INDEX khabar_search_document_titles ON {DOCUMENT_TABLE} USING gin (title_vector)")

    @classmethod
    def drop_engine_objects(cls, cursor):
        cursor.execute("DROP INDEX IF EXISTS khabar_search_document_search")
        cursor.execute("DROP INDEX IF EXISTS khabar_search_document_titles")
        columns = ", ".join(f"DROP COLUMN IF EXISTS {c}" for c in VECTOR_COLUMNS)
        cursor.execute(f"ALTER TABLE {DOCUMENT_TABLE} {columns}")

    # --- writing ----------------------------------------------------------------
    @staticmethod
    def vectors(row) -> tuple[str, str, str]:
        split = {c: row[c].split() for c in row if c.endswith(("_terms", "_stems"))}
        stems = tsvector_literal([(split["title_stems"], "A"), (split["lead_stems"], "B"), (split["body_stems"], "C")])
        exact = tsvector_literal([(split["title_terms"], "A"), (split["lead_terms"], "B"), (split["body_terms"], "C")])
        titles = tsvector_literal([(split["title_terms"] + split["title_stems"], "A")])
        return stems, exact, titles

    def _insert(self, rows):
        marks = ", ".join(["%s"] * len(COLUMNS) + ["%s::tsvector"] * len(VECTOR_COLUMNS))
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {DOCUMENT_TABLE} ({', '.join(COLUMNS + VECTOR_COLUMNS)}) VALUES ({marks})",
                [[row[c] for c in COLUMNS] + list(self.vectors(row)) for row in rows],
            )

    def clear(self):
        with self.connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {DOCUMENT_TABLE}")

    def _after_rebuild(self):
        with self.connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {DOCUMENT_TABLE}")

    # --- reading ----------------------------------------------------------------
    def _search(self, query, filters, order, offset, limit, any_word):
        match, exact, excluded = match_tsquery(query, any_word)
        rank_stems, rank_exact = rank_tsqueries(query)
        where, params = ["search_vector @@ %s::tsquery"], [match]
        if exact:
            where.append("exact_vector @@ %s::tsquery")
            params.append(exact)
        if filters["section_ids"]:
            where.append(f"section_id IN ({', '.join(['%s'] * len(filters['section_ids']))})")
            params.extend(filters["section_ids"])
        if filters["since"]:
            where.append("published_at >= %s")
            params.append(filters["since"])
        if filters["until"]:
            where.append("published_at < %s")
            params.append(filters["until"])
        source = f"FROM {DOCUMENT_TABLE} WHERE {' AND '.join(where)}"
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            # The planner prices "@@" on a TOASTed tsvector as cheap and, for a common word, walks the
            # table (or the primary key) reading every vector: 20x slower than the GIN bitmap it skips.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            if excluded:
                source += self._exclusion(cursor, source, params, excluded)
                params.append(excluded)
            # One pass over the matches gives their number and where the newest ranked ones start.
            cursor.execute(
                f"SELECT count(*), (array_agg(page_id ORDER BY page_id DESC))[%s] {source}",
                [self.ranked_matches(any_word), *params],
            )
            total, oldest_ranked = cursor.fetchone()
            if not total or offset >= total:
                return [], total
            if oldest_ranked is not None:
                # A broad query: rank only the newest matches (ts_rank reads every vector it scores).
                source += " AND page_id >= %s"
                params.append(oldest_ranked)
            if order == "date":
                cursor.execute(
                    f"SELECT page_id {source} ORDER BY published_at DESC, page_id DESC LIMIT %s OFFSET %s",
                    [*params, limit, offset],
                )
                return [Hit(page_id, 0.0) for (page_id,) in cursor.fetchall()], total
            cursor.execute(
                "SELECT page_id, score FROM ("
                " SELECT page_id, published_at,"
                f" ts_rank(%s::float4[], search_vector, %s::tsquery)"
                f" + {EXACT_BOOST} * ts_rank(%s::float4[], exact_vector, %s::tsquery) AS score"
                f" {source}) ranked"
                f" ORDER BY round(score / {TIE}) DESC, published_at DESC, page_id DESC LIMIT %s OFFSET %s",
                [RANK_WEIGHTS, rank_stems, RANK_WEIGHTS, rank_exact, *params, limit, offset],
            )
            return [Hit(page_id, float(score)) for page_id, score in cursor.fetchall()], total

    @staticmethod
    def _exclusion(cursor, source, params, excluded):
        """The SQL leaving out articles that match ``excluded``, the cheaper way for this query.

        Checking each candidate's vector costs ~20 µs a row: right for a few candidates. For many,
        an anti-join on the GIN index of the excluded words costs ~1 µs per article that has them.
        """
        cursor.execute(f"SELECT count(*) {source}", params)
        if cursor.fetchone()[0] <= EXCLUSION_RECHECK_LIMIT:
            return " AND NOT (search_vector @@ %s::tsquery)"
        return f" AND page_id NOT IN (SELECT page_id FROM {DOCUMENT_TABLE} WHERE search_vector @@ %s::tsquery)"

    @staticmethod
    def _title_tsquery(words):
        clauses = []
        for index, (surface, stems) in enumerate(words):
            if index == len(words) - 1:  # the word being typed
                clauses.append(_any(partial_word_forms(surface, stems), ":*"))
            else:
                clauses.append(_any([surface, *stems]))
        return " & ".join(clauses)

    def _suggest(self, words, limit):
        sql = (
            f"SELECT page_id, title, url FROM {DOCUMENT_TABLE} WHERE title_vector @@ %s::tsquery "
            f"ORDER BY round(ts_rank(title_vector, %s::tsquery) / {TIE}) DESC, published_at DESC LIMIT %s"
        )
        tsquery = self._title_tsquery(words)
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [tsquery, tsquery, limit * 2])
            return ranked_candidates(cursor.fetchall(), limit)

    def _titles_with_prefixes(self, prefixes, limit):
        sql = f"SELECT title_terms FROM {DOCUMENT_TABLE} WHERE title_vector @@ %s::tsquery LIMIT %s"
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [_any(prefixes, ":*"), limit])
            return [row[0] for row in cursor.fetchall()]
