"""PostgreSQL search: full text with prefix matching, accent-folded, and typo correction.

The index is ``SearchEntry``: one row per product holding ``lower(unaccent(...))`` of its names, its
producer, commune and group, with a GIN full-text index. Queries start from ``store_products()`` (the
listing rule), so the index may safely hold every product.

A query that finds nothing is tried once more with each word widened to the words of the index's
vocabulary (``SearchWord``) within one edit (two for words of six letters or more): "mat omg" becomes
``mat:* & (omg:* | ong)``. The correction reads the short vocabulary, not every product's text, so the
second try costs about what the first did.
"""

from django.contrib.postgres.search import SearchQuery as PgSearchQuery
from django.contrib.postgres.search import SearchRank
from django.db import connection, transaction
from django.db.models import Count, F, Func, TextField, Window
from django.db.models.functions import Lower

from ..models import SearchEntry, SearchWord
from .base import SearchBackend, SearchQuery, Sort, store_products
from .folding import words

_UPSERT = """
INSERT INTO storefront_searchentry (product_id, text, vector)
SELECT p.id, t.text,
       setweight(to_tsvector('simple', t.name), 'A') || setweight(to_tsvector('simple', t.text), 'B')
FROM catalog_product p
JOIN catalog_producer pr ON pr.id = p.producer_id
JOIN catalog_commune c ON c.id = pr.commune_id
JOIN catalog_productgroup g ON g.id = p.group_id
LEFT JOIN catalog_productsubgroup sg ON sg.id = p.subgroup_id
CROSS JOIN LATERAL (
    SELECT lower(unaccent(concat_ws(' ', p.name_vi, p.name_en))) AS name,
           lower(unaccent(concat_ws(' ', p.name_vi, p.name_en, pr.name, c.name, c.district,
                                    g.name_vi, g.name_en, sg.name_vi, sg.name_en))) AS text
) t
WHERE {where}
ON CONFLICT (product_id) DO UPDATE SET text = EXCLUDED.text, vector = EXCLUDED.vector
"""

_ADD_WORDS = """
INSERT INTO storefront_searchword (word)
SELECT DISTINCT u.lexeme FROM storefront_searchentry e, unnest(e.vector) AS u
WHERE {where} AND length(u.lexeme) <= 100
ON CONFLICT DO NOTHING
"""

# For each query word of three letters or more that starts no word of the vocabulary: the vocabulary's words
# within one edit of it (two from six letters), nearest first.
_CORRECTIONS = r"""
SELECT t.term, w.word
FROM (SELECT term, CASE WHEN length(term) >= 6 THEN 2 ELSE 1 END AS edits
      FROM unnest(%s::text[]) AS term WHERE length(term) >= 3) t
JOIN storefront_searchword w
  ON length(w.word) BETWEEN length(t.term) - t.edits AND length(t.term) + t.edits
 AND levenshtein_less_equal(w.word, t.term, t.edits) <= t.edits
WHERE NOT EXISTS (
    SELECT 1 FROM storefront_searchword known WHERE known.word LIKE replace(t.term, '_', '\_') || '%%'
)
ORDER BY t.term, levenshtein(w.word, t.term), w.word
"""


def apply_filters(queryset, query: SearchQuery):
    if query.min_stars:
        queryset = queryset.filter(certified_stars__gte=query.min_stars)
    if query.group_code:
        queryset = queryset.filter(group__code=query.group_code)
    if query.commune_id:
        queryset = queryset.filter(producer__commune_id=query.commune_id)
    if query.producer_id:
        queryset = queryset.filter(producer_id=query.producer_id)
    if query.price_min is not None:
        queryset = queryset.filter(store_listing__price__gte=query.price_min)
    if query.price_max is not None:
        queryset = queryset.filter(store_listing__price__lte=query.price_max)
    return queryset


# Names sort accent-folded ("Đắk" with the d's), as the Elasticsearch backend sorts them.
FOLDED_NAME = Func(Lower("name_vi"), function="unaccent", output_field=TextField())
ORDERINGS = {
    Sort.STARS: [F("certified_stars").desc(nulls_last=True), FOLDED_NAME, "pk"],
    Sort.PRICE_ASC: [F("store_listing__price").asc(nulls_last=True), FOLDED_NAME, "pk"],
    Sort.PRICE_DESC: [F("store_listing__price").desc(nulls_last=True), FOLDED_NAME, "pk"],
    Sort.NAME: [FOLDED_NAME, "pk"],
    Sort.NEWEST: ["-created_at", "-pk"],
    Sort.RELEVANCE: ["-score", F("certified_stars").desc(nulls_last=True), FOLDED_NAME, "pk"],
}


class DatabaseBackend(SearchBackend):
    name = "database"

    def queryset(self, query: SearchQuery, *, corrections: dict[str, list[str]] | None = None):
        """Listable products matching ``query``, ordered.

        Words match as prefixes through the full-text index ("ca ph" → 'ca':* & 'ph':*); a word with
        ``corrections`` also matches any of them ("omg" → 'omg':* | 'ong').
        """
        queryset = apply_filters(store_products(), query)
        terms = words(query.text)
        if terms:
            tsquery = PgSearchQuery(_tsquery(terms, corrections or {}), search_type="raw", config="simple")
            queryset = queryset.filter(search_entry__vector=tsquery).annotate(
                score=SearchRank(F("search_entry__vector"), tsquery)
            )
        return queryset.order_by(*ORDERINGS[query.effective_sort])

    def _page(self, queryset, query: SearchQuery) -> tuple[list[int], int]:
        """One page of ids and the number of hits, counted in the same query (one index scan, not two)."""
        rows = list(
            queryset.annotate(hits=Window(Count("pk"))).values_list("pk", "hits")[
                query.offset : query.offset + query.limit
            ]
        )
        if rows:
            return [pk for pk, _hits in rows], rows[0][1]
        return [], (queryset.count() if query.offset else 0)

    def search_ids(self, query: SearchQuery) -> tuple[list[int], int]:
        ids, total = self._page(self.queryset(query), query)
        if total == 0 and (corrections := _corrections(words(query.text))):
            # Nothing starts with these words: the shopper may have mistyped one.
            ids, total = self._page(self.queryset(query, corrections=corrections), query)
        return ids, total

    def index_products(self, product_ids) -> None:
        product_ids = [int(pk) for pk in product_ids]
        if not product_ids:
            return
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT.format(where="p.id = ANY(%s)"), [product_ids])
            cursor.execute(_ADD_WORDS.format(where="e.product_id = ANY(%s)"), [product_ids])

    def rebuild(self) -> int:
        with transaction.atomic(), connection.cursor() as cursor:
            SearchEntry.objects.all().delete()
            SearchWord.objects.all().delete()
            cursor.execute(_UPSERT.format(where="TRUE"))
            indexed = cursor.rowcount
            cursor.execute(_ADD_WORDS.format(where="TRUE"))
            # A bulk insert leaves the full-text index's new entries in its pending list, which every search
            # would scan until autovacuum merges it: merge it now.
            cursor.execute("SELECT gin_clean_pending_list('searchentry_vector_gin'::regclass)")
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
        for term, word in cursor.fetchall():
            if word != term and len(found.setdefault(term, [])) < MAX_CORRECTIONS:
                found[term].append(word)
    return {term: found_words for term, found_words in found.items() if found_words}
