"""PostgreSQL search: full text with prefix matching, accent-folded, and typo correction.

The index is ``SearchEntry``: one row per product holding ``lower(unaccent(...))`` of its names, its
producer, commune and group, with a GIN full-text index, and the columns listing pages filter and sort on,
each order with its own index. A search or a listing reads that one table; the page's products are then
re-read through the listing rule (``SearchBackend.search``), so a stale entry never shows an unlisted one.
What each query costs, and what that grows with: ``docs/search.md``.

A query word that starts no word of the index's vocabulary (``SearchWord``) could find nothing as typed,
so before the search it is widened to the vocabulary's words within one edit (two for words of six letters
or more): "mat omg" becomes ``mat:* & (omg:* | ong)``. The correction reads the short vocabulary, not every
product's text, and the search itself runs once, typo or not.
"""

from django.contrib.postgres.search import SearchQuery as PgSearchQuery
from django.contrib.postgres.search import SearchRank
from django.db import connection, transaction
from django.db.models import F

from catalog.querysets import MIN_CERTIFIED_STARS, local_today

from ..models import SearchEntry, SearchWord
from . import base
from .base import SearchBackend, SearchQuery, Sort
from .folding import words

_UPSERT = """
INSERT INTO storefront_searchentry (product_id, text, vector, listable_until, name_key, stars, price, group_code,
                                    commune_id, producer_id, created_at)
SELECT p.id, t.text,
       setweight(to_tsvector('simple', t.name), 'A') || setweight(to_tsvector('simple', t.text), 'B'),
       CASE WHEN NOT p.certificate_revoked AND p.certified_stars >= %(min_stars)s THEN p.certified_until END,
       lower(unaccent(p.name_vi)), p.certified_stars, l.price, g.code, pr.commune_id, p.producer_id, p.created_at
FROM catalog_product p
JOIN catalog_producer pr ON pr.id = p.producer_id
JOIN catalog_commune c ON c.id = pr.commune_id
JOIN catalog_productgroup g ON g.id = p.group_id
LEFT JOIN catalog_productsubgroup sg ON sg.id = p.subgroup_id
LEFT JOIN storefront_productlisting l ON l.product_id = p.id
CROSS JOIN LATERAL (
    SELECT lower(unaccent(concat_ws(' ', p.name_vi, p.name_en))) AS name,
           lower(unaccent(concat_ws(' ', p.name_vi, p.name_en, pr.name, c.name, c.district,
                                    g.name_vi, g.name_en, sg.name_vi, sg.name_en))) AS text
) t
WHERE {where}
ON CONFLICT (product_id) DO UPDATE SET
    text = EXCLUDED.text, vector = EXCLUDED.vector, listable_until = EXCLUDED.listable_until,
    name_key = EXCLUDED.name_key, stars = EXCLUDED.stars, price = EXCLUDED.price, group_code = EXCLUDED.group_code,
    commune_id = EXCLUDED.commune_id, producer_id = EXCLUDED.producer_id, created_at = EXCLUDED.created_at
"""

# The vocabulary holds words with a letter: a number ("500", a serial) has no spelling to correct, and left in
# it would make the vocabulary grow with the catalogue.
_ADD_WORDS = """
INSERT INTO storefront_searchword (word)
SELECT DISTINCT u.lexeme FROM storefront_searchentry e, unnest(e.vector) AS u
WHERE {where} AND length(u.lexeme) <= 100 AND u.lexeme ~ '[[:alpha:]]'
ON CONFLICT DO NOTHING
"""

# For each query word of three characters or more, with a letter, that starts no word of the vocabulary (the
# first word at or after it in the prefix index does not start with it): the vocabulary's words within one edit
# of it (two from six letters), nearest first.
_CORRECTIONS = r"""
SELECT t.term, w.word
FROM (SELECT term, CASE WHEN length(term) >= 6 THEN 2 ELSE 1 END AS edits
      FROM unnest(%s::text[]) AS term
      WHERE length(term) >= 3 AND term ~ '[[:alpha:]]'
        AND NOT starts_with(coalesce((SELECT known.word FROM storefront_searchword known
                                      WHERE known.word::text ~>=~ term ORDER BY known.word::text USING ~<~ LIMIT 1),
                                     ''), term)
      OFFSET 0) t
JOIN storefront_searchword w
  ON length(w.word) BETWEEN length(t.term) - t.edits AND length(t.term) + t.edits
 AND levenshtein_less_equal(w.word, t.term, t.edits) <= t.edits
ORDER BY t.term, levenshtein(w.word, t.term), w.word
"""

_LISTABLE = {"min_stars": MIN_CERTIFIED_STARS}


def apply_filters(entries, query: SearchQuery):
    if query.min_stars:
        entries = entries.filter(stars__gte=query.min_stars)
    if query.group_code:
        entries = entries.filter(group_code=query.group_code)
    if query.commune_id:
        entries = entries.filter(commune_id=query.commune_id)
    if query.producer_id:
        entries = entries.filter(producer_id=query.producer_id)
    if query.price_min is not None:
        entries = entries.filter(price__gte=query.price_min)
    if query.price_max is not None:
        entries = entries.filter(price__lte=query.price_max)
    return entries


# Each order but relevance is one of SearchEntry's indexes (listable entries always have stars); ties are broken
# by the accent-folded name, as the Elasticsearch backend breaks them.
ORDERINGS = {
    Sort.STARS: "stars DESC, name_key, product_id",
    Sort.PRICE_ASC: "price, name_key, product_id",
    Sort.PRICE_DESC: "price DESC NULLS LAST, name_key, product_id",
    Sort.NAME: "name_key, product_id",
    Sort.NEWEST: "created_at DESC, product_id DESC",
    Sort.RELEVANCE: "score DESC, stars DESC, name_key, product_id",
}
SORT_COLUMNS = ("product_id", "stars", "price", "name_key", "created_at")

# A listing without words walks its order's index only until the page is full (the subquery is flattened).
_LISTING_PAGE = "SELECT product_id, NULL FROM ({entries}) e ORDER BY {order} LIMIT %s OFFSET %s"
# Hits of words come from the full-text index (a bitmap scan, in no useful order): they are fenced off, then
# sorted and counted in the same query (one index scan, not two). Without the fence, PostgreSQL 15 may walk an
# order's index instead, testing every listable row against the words (it underrates a count over all rows).
_SEARCH_PAGE = """
WITH e AS MATERIALIZED ({entries})
SELECT product_id, count(*) OVER () FROM e ORDER BY {order} LIMIT %s OFFSET %s
"""
# A listing's count stops at MAX_HITS + 1 rows of the narrow count index (an index-only scan).
_LISTING_COUNT = "SELECT count(*) FROM ({entries} LIMIT %s) e"


class DatabaseBackend(SearchBackend):
    name = "database"

    def queryset(self, query: SearchQuery, *, corrections: dict[str, list[str]] | None = None):
        """The search entries of listable products matching ``query`` (with their ``score`` when there are words).

        Words match as prefixes through the full-text index ("ca ph" → 'ca':* & 'ph':*); a word with
        ``corrections`` also matches any of them ("omg" → 'omg':* | 'ong').
        """
        entries = apply_filters(SearchEntry.objects.filter(listable_until__gte=local_today()), query)
        terms = words(query.text)
        if terms:
            tsquery = PgSearchQuery(_tsquery(terms, corrections or {}), search_type="raw", config="simple")
            entries = entries.filter(vector=tsquery).annotate(score=SearchRank(F("vector"), tsquery))
        return entries

    def page(self, entries, query: SearchQuery) -> tuple[list[int], int]:
        """One page of product ids in the query's order, and the number of hits."""
        with_words = "score" in entries.query.annotations
        order = ORDERINGS[query.effective_sort]
        # Only what the order reads: the hits of a common word are many rows to hold and sort.
        columns = [column for column in (*SORT_COLUMNS, "score") if column in order]
        sql, params = entries.order_by().values(*columns).query.sql_with_params()
        template = _SEARCH_PAGE if with_words else _LISTING_PAGE
        with connection.cursor() as cursor:
            cursor.execute(
                template.format(entries=sql, order=order),
                [*params, query.limit, query.offset],
            )
            rows = cursor.fetchall()
            ids = [pk for pk, _hits in rows]
            if with_words and rows:
                return ids, min(rows[0][1], base.MAX_HITS + 1)  # every hit is ranked, so all were counted
            if not query.offset and len(ids) < query.limit:
                return ids, len(ids)  # all of them
            sql, params = entries.order_by().values("listable_until").query.sql_with_params()
            cursor.execute(_LISTING_COUNT.format(entries=sql), [*params, base.MAX_HITS + 1])
            return ids, cursor.fetchone()[0]

    def search_ids(self, query: SearchQuery) -> tuple[list[int], int]:
        # A word that starts no word of the vocabulary would find nothing as typed (the shopper may have mistyped
        # it): it is widened to its near spellings before the one search query, which then runs once.
        return self.page(self.queryset(query, corrections=_corrections(words(query.text))), query)

    def index_products(self, product_ids) -> None:
        product_ids = [int(pk) for pk in product_ids]
        if not product_ids:
            return
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT.format(where="p.id = ANY(%(ids)s)"), {"ids": product_ids, **_LISTABLE})
            cursor.execute(_ADD_WORDS.format(where="e.product_id = ANY(%s)"), [product_ids])

    def rebuild(self) -> int:
        with transaction.atomic(), connection.cursor() as cursor:
            SearchEntry.objects.all().delete()
            SearchWord.objects.all().delete()
            cursor.execute(_UPSERT.format(where="TRUE"), _LISTABLE)
            indexed = cursor.rowcount
            cursor.execute(_ADD_WORDS.format(where="TRUE"))
            # A bulk insert leaves the full-text index's new entries in its pending list, which every search
            # would scan until autovacuum merges it: merge it now.
            cursor.execute("SELECT gin_clean_pending_list('searchentry_vector_gin'::regclass)")
        if not connection.in_atomic_block:
            # Every row was rewritten: vacuum so that counts read the count index alone (its pages marked
            # all-visible again) and the planner sees the new rows (VACUUM cannot run inside a transaction).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE) storefront_searchentry")
        return indexed


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsquery(terms: list[str], corrections: dict[str, list[str]]) -> str:
    """``a:* & (b:* | 'c')``: every word as a prefix, or one of its corrections."""
    parts = []
    for term in terms:
        alternatives = [f"{_lexeme(term)}:*", *(_lexeme(word) for word in corrections.get(term, ()))]
        parts.append(alternatives[0] if len(alternatives) == 1 else "(" + " | ".join(alternatives) + ")")
    return " & ".join(parts)


#: At most this many corrections per word (the nearest ones).
MAX_CORRECTIONS = 5


def _corrections(terms: list[str]) -> dict[str, list[str]]:
    if not terms:
        return {}
    found: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_CORRECTIONS, [sorted(set(terms))])
        # Only a word that starts no word of the vocabulary is corrected, so no correction is the word itself.
        for term, word in cursor.fetchall():
            if len(found.setdefault(term, [])) < MAX_CORRECTIONS:
                found[term].append(word)
    return found
