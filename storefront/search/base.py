"""The search interface of the storefront: one contract, several backends.

Callers build a ``SearchQuery`` and call ``get_backend().search(query)``. Every backend returns a
``SearchResults`` whose products are re-read through ``Product.objects.listable()`` by primary key,
so whatever an index holds, only products that may be sold right now ever come back.

The contract (checked by ``storefront/tests/test_search_contract.py`` against every backend):
- accent folding: "ca phe" finds "Cà phê", "duong" finds "đường" (đ folds to d);
- prefix matching ("ca ph" finds "Cà phê") and typo tolerance (one wrong or missing letter);
- filters: minimum stars, product group code, commune, producer, price range (VND, inclusive);
- sorts: relevance (with a query), stars, price, name, newest;
- totals counted up to ``MAX_HITS + 1`` at most: beyond ``MAX_HITS`` a shopper is told "more than" it;
- only listable products, ever.
"""

import abc
import dataclasses
from decimal import Decimal

from catalog.models import Product

from .folding import words

#: No page offers a hit beyond this one (400 pages of 24), so no backend counts further: a larger total is told
#: as "more than 9,600" (Elasticsearch stops counting at 10,000 by default for the same reason). Counting every
#: listable product was the cost of a listing that grew with the catalogue (128 ms at 200,000 products).
MAX_HITS = 9_600


class Sort:
    RELEVANCE = "relevance"
    STARS = "stars"
    PRICE_ASC = "price"
    PRICE_DESC = "-price"
    NAME = "name"
    NEWEST = "newest"

    ALL = (RELEVANCE, STARS, PRICE_ASC, PRICE_DESC, NAME, NEWEST)


@dataclasses.dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    min_stars: int | None = None
    group_code: str | None = None
    commune_id: int | None = None
    producer_id: int | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    sort: str = Sort.RELEVANCE
    offset: int = 0
    limit: int = 24

    @property
    def effective_sort(self) -> str:
        """Relevance means nothing without words (punctuation alone has none): fall back to stars (best first)."""
        has_words = bool(words(self.text))
        if self.sort not in Sort.ALL:
            return Sort.RELEVANCE if has_words else Sort.STARS
        if self.sort == Sort.RELEVANCE and not has_words:
            return Sort.STARS
        return self.sort


@dataclasses.dataclass
class SearchResults:
    """One page of results: listable products in the backend's order, and the backend's total (counted up to
    ``MAX_HITS + 1``: more than ``MAX_HITS`` when it is over)."""

    products: list
    total: int
    query: SearchQuery

    @property
    def more_than_counted(self) -> bool:
        return self.total > MAX_HITS

    @property
    def counted(self) -> int:
        """The total as a shopper is told it: "more than" this when ``more_than_counted``."""
        return min(self.total, MAX_HITS)

    def __iter__(self):
        return iter(self.products)

    def __len__(self):
        return len(self.products)


def store_products():
    """Every query of the storefront starts here: listable products with what a card shows."""
    return Product.objects.listable().select_related(
        "producer__commune", "group", "store_listing", "current_certificate__decision"
    )


def load_in_order(ids: list[int]) -> list:
    """Re-read hits through the listing rule, keeping the backend's order and dropping the rest."""
    by_pk = store_products().in_bulk(ids)
    return [by_pk[pk] for pk in ids if pk in by_pk]


class SearchBackend(abc.ABC):
    name = "base"

    def search(self, query: SearchQuery) -> SearchResults:
        ids, total = self.search_ids(query)
        products = load_in_order(ids)
        # A stale hit dropped by the listing rule is not counted either.
        return SearchResults(products=products, total=max(total - (len(ids) - len(products)), 0), query=query)

    @abc.abstractmethod
    def search_ids(self, query: SearchQuery) -> tuple[list[int], int]:
        """Primary keys of one page of hits in order, and the number of hits (at most ``MAX_HITS + 1``)."""

    @abc.abstractmethod
    def index_products(self, product_ids) -> None:
        """Bring the index in line with these products: add or update the listable ones, drop the rest."""

    @abc.abstractmethod
    def rebuild(self) -> int:
        """Drop and rebuild the whole index from the listable products; returns how many are indexed."""

    def refresh(self) -> None:  # noqa: B027 - optional hook
        """Make recent index changes visible to searches (no-op where writes are immediate)."""
