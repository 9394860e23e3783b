"""Elasticsearch search through elasticsearch-dsl, used when ``ELASTICSEARCH_URL`` is set.

The index holds only products that were listable when indexed (``index_products`` drops the rest);
hits are still re-read through the listing rule by primary key, so a stale index cannot show an
unlisted product. Text is analysed with ``asciifolding`` so "ca phe" matches "Cà phê".
"""

from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.helpers import bulk
from elasticsearch_dsl import Date, Document, Index, Integer, Keyword, Long, Q, Search, Text, analyzer

from . import base
from .base import SearchBackend, SearchQuery, Sort, store_products
from .folding import fold

folding = analyzer("ocop_folding", tokenizer="standard", filter=["lowercase", "asciifolding"])

BATCH = 1000


class ProductDocument(Document):
    name = Text(analyzer=folding)
    text = Text(analyzer=folding)
    name_sort = Keyword()
    product_id = Long()
    stars = Integer()
    group_code = Keyword()
    commune_id = Integer()
    producer_id = Integer()
    price = Long()
    created_at = Date()

    @classmethod
    def from_product(cls, product) -> "ProductDocument":
        listing = getattr(product, "store_listing", None)
        producer = product.producer
        return cls(
            meta={"id": product.pk},
            name=f"{product.name_vi} {product.name_en}".strip(),
            text=" ".join(
                part
                for part in (
                    producer.name,
                    producer.commune.name,
                    producer.commune.district,
                    product.group.name_vi,
                    product.group.name_en,
                )
                if part
            ),
            name_sort=fold(product.name_vi),
            product_id=product.pk,
            stars=product.certified_stars,
            group_code=product.group.code,
            commune_id=producer.commune_id,
            producer_id=producer.pk,
            price=int(listing.price) if listing else None,
            created_at=product.created_at,
        )


# Ties are broken as the database backend breaks them, so both give the same order.
SORTS = {
    Sort.STARS: [{"stars": {"order": "desc"}}, "name_sort", "product_id"],
    Sort.PRICE_ASC: [{"price": {"order": "asc", "missing": "_last"}}, "name_sort", "product_id"],
    Sort.PRICE_DESC: [{"price": {"order": "desc", "missing": "_last"}}, "name_sort", "product_id"],
    Sort.NAME: ["name_sort", "product_id"],
    Sort.NEWEST: [{"created_at": {"order": "desc"}}, {"product_id": {"order": "desc"}}],
    Sort.RELEVANCE: ["_score", {"stars": {"order": "desc"}}, "name_sort", "product_id"],
}


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url: str, index_name: str):
        self.client = Elasticsearch(url, request_timeout=10)
        self.index_name = index_name

    def _index(self) -> Index:
        index = Index(self.index_name, using=self.client)
        index.settings(number_of_shards=1, number_of_replicas=0)
        index.document(ProductDocument)
        return index

    def ensure_index(self) -> None:
        index = self._index()
        if not index.exists():
            index.create()

    def _filters(self, query: SearchQuery) -> list:
        filters = []
        if query.min_stars:
            filters.append(Q("range", stars={"gte": query.min_stars}))
        if query.group_code:
            filters.append(Q("term", group_code=query.group_code))
        if query.commune_id:
            filters.append(Q("term", commune_id=query.commune_id))
        if query.producer_id:
            filters.append(Q("term", producer_id=query.producer_id))
        if query.price_min is not None or query.price_max is not None:
            bounds = {}
            if query.price_min is not None:
                bounds["gte"] = int(query.price_min)
            if query.price_max is not None:
                bounds["lte"] = int(query.price_max)
            filters.append(Q("range", price=bounds))
        return filters

    def _run(self, query: SearchQuery, *, typos: bool = False) -> tuple[list[int], int]:
        text = query.text.strip()
        if not text:
            must = Q("match_all")
        elif typos:
            # One or two letters wrong in any word.
            must = Q("multi_match", query=text, fields=["name^3", "text"], operator="and", fuzziness="AUTO")
        else:
            # Every word, the last one possibly unfinished ("ca ph").
            must = Q("multi_match", query=text, fields=["name^3", "text"], operator="and", type="bool_prefix")
        search = Search(using=self.client, index=self.index_name).query(
            Q("bool", must=[must], filter=self._filters(query))
        )
        search = search.sort(*SORTS[query.effective_sort]).source(False)
        search = search.extra(track_total_hits=base.MAX_HITS + 1)[query.offset : query.offset + query.limit]
        try:
            response = search.execute()
        except NotFoundError:  # no index yet: nothing is searchable
            return [], 0
        return [int(hit.meta.id) for hit in response.hits], response.hits.total.value

    def search_ids(self, query: SearchQuery) -> tuple[list[int], int]:
        ids, total = self._run(query)
        if total == 0 and query.text.strip():
            # Nothing starts with these words: the shopper may have mistyped one (as the database backend).
            ids, total = self._run(query, typos=True)
        return ids, total

    def index_products(self, product_ids) -> None:
        product_ids = {int(pk) for pk in product_ids}
        if not product_ids:
            return
        self.ensure_index()
        listable = list(store_products().filter(pk__in=product_ids))
        actions = [self._action(product) for product in listable]
        actions += [
            {"_op_type": "delete", "_index": self.index_name, "_id": pk}
            for pk in product_ids - {product.pk for product in listable}
        ]
        bulk(self.client, actions, raise_on_error=False, refresh=True)

    def _action(self, product) -> dict:
        return {
            "_index": self.index_name,
            "_id": product.pk,
            "_source": ProductDocument.from_product(product).to_dict(),
        }

    def rebuild(self) -> int:
        index = self._index()
        index.delete(ignore_unavailable=True)
        index.create()
        count = 0
        batch = []
        for product in store_products().order_by("pk").iterator(chunk_size=BATCH):
            batch.append(self._action(product))
            if len(batch) >= BATCH:
                count += bulk(self.client, batch)[0]
                batch = []
        if batch:
            count += bulk(self.client, batch)[0]
        self.refresh()
        return count

    def refresh(self) -> None:
        self.client.indices.refresh(index=self.index_name)
