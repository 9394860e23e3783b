"""PostgreSQL search: full text (prefix matching) and trigram word similarity (typos), accent-folded.

The index is ``SearchEntry``: one row per product holding ``lower(unaccent(...))`` of its names, its
producer, commune and group, with a GIN full-text index and a GIN trigram index. Queries start from
``store_products()`` (the listing rule), so the index may safely hold every product.
"""

from django.contrib.postgres.search import SearchQuery as PgSearchQuery
from django.contrib.postgres.search import SearchRank, TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import F, Func, TextField
from django.db.models.functions import Lower

from ..models import SearchEntry
from .base import SearchBackend, SearchQuery, Sort, store_products
from .folding import fold, words

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

    def queryset(self, query: SearchQuery, *, typos: bool = False):
        """Listable products matching ``query``, ordered.

        Words match as prefixes through the full-text index ("ca ph" → 'ca':* & 'ph':*). With
        ``typos``, they match by trigram word similarity instead (one letter wrong or missing).
        """
        queryset = apply_filters(store_products(), query)
        terms = words(query.text)
        if terms and typos:
            folded = fold(" ".join(terms))
            queryset = queryset.filter(search_entry__text__trigram_word_similar=folded).annotate(
                score=TrigramWordSimilarity(folded, "search_entry__text")
            )
        elif terms:
            tsquery = PgSearchQuery(" & ".join(f"{term}:*" for term in terms), search_type="raw", config="simple")
            queryset = queryset.filter(search_entry__vector=tsquery).annotate(
                score=SearchRank(F("search_entry__vector"), tsquery)
            )
        return queryset.order_by(*ORDERINGS[query.effective_sort])

    def _page(self, queryset, query: SearchQuery) -> tuple[list[int], int]:
        ids = list(queryset.values_list("pk", flat=True)[query.offset : query.offset + query.limit])
        if query.offset == 0 and len(ids) < query.limit:
            return ids, len(ids)
        return ids, queryset.count()

    def search_ids(self, query: SearchQuery) -> tuple[list[int], int]:
        ids, total = self._page(self.queryset(query), query)
        if total == 0 and words(query.text):
            # Nothing starts with these words: the shopper may have mistyped one.
            ids, total = self._page(self.queryset(query, typos=True), query)
        return ids, total

    def index_products(self, product_ids) -> None:
        product_ids = [int(pk) for pk in product_ids]
        if not product_ids:
            return
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT.format(where="p.id = ANY(%s)"), [product_ids])

    def rebuild(self) -> int:
        with transaction.atomic(), connection.cursor() as cursor:
            SearchEntry.objects.all().delete()
            cursor.execute(_UPSERT.format(where="TRUE"))
            return cursor.rowcount
