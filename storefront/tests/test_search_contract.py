"""One contract for every search backend: the PostgreSQL one and Elasticsearch (noida-db)."""

import datetime
from decimal import Decimal

import pytest

from catalog import services
from catalog.models import Level, ProductGroup
from ocop.outbox import services as outbox
from ocop.outbox.models import OutboxDelivery
from storefront.search import SearchQuery, Sort
from storefront.search.index import SUBSCRIBER

from .fixtures import folding_vectors

pytestmark = pytest.mark.django_db


def names(results) -> list[str]:
    return [product.name_vi for product in results]


def deliver_index_events() -> None:
    """Deliver the search index's outbox deliveries, as the outbox drain task would."""
    for delivery in OutboxDelivery.objects.select_related("event").filter(
        subscriber=SUBSCRIBER, status=OutboxDelivery.Status.PENDING
    ):
        assert outbox.deliver(delivery), delivery.last_error


@pytest.mark.parametrize("vector", folding_vectors(), ids=lambda vector: vector["query"])
def test_unaccented_query_finds_the_vietnamese_name(search_backend, vector):
    results = search_backend.search(SearchQuery(text=vector["query"]))

    assert vector["must_match"] in names(results)


def test_accented_query_finds_the_same_products(search_backend):
    results = search_backend.search(SearchQuery(text="Cà PHÊ"))

    assert {"Cà phê bột Buôn Ma Thuột", "Mật ong hoa cà phê"} <= set(names(results))


def test_unfinished_last_word_matches_as_a_prefix(search_backend):
    results = search_backend.search(SearchQuery(text="ruou ca"))

    assert names(results) == ["Rượu cần Buôn Đôn"]


def test_one_wrong_letter_still_finds_the_product(search_backend):
    results = search_backend.search(SearchQuery(text="mat omg"))

    assert "Mật ong hoa cà phê" in names(results)


def test_a_long_word_mistyped_twice_is_still_found(search_backend):
    results = search_backend.search(SearchQuery(text="buon ma thuuott"))

    assert "Cà phê bột Buôn Ma Thuột" in names(results)


def test_a_mistyped_last_word_is_corrected_while_the_others_still_match(search_backend):
    results = search_backend.search(SearchQuery(text="tra duong phenn"))

    assert names(results) == ["Trà đường phèn"]


def test_nonsense_finds_nothing(search_backend):
    results = search_backend.search(SearchQuery(text="xylophone"))

    assert results.total == 0
    assert names(results) == []


def test_products_that_cannot_be_sold_are_never_returned(search_backend):
    results = search_backend.search(SearchQuery(text="ca phe", limit=100))
    everything = search_backend.search(SearchQuery(limit=100))

    for hidden in ("Cà phê chồn Ea Tu", "Cà phê hạt Krông Pắc"):
        assert hidden not in names(results)
        assert hidden not in names(everything)
    assert everything.total == 4


def test_stale_index_cannot_show_a_revoked_product(search_backend, store_catalogue, office_user):
    given = store_catalogue["coffee"]
    before = names(search_backend.search(SearchQuery(text="ca phe bot")))
    assert "Cà phê bột Buôn Ma Thuột" in before  # indexed and found while certified
    services.revoke_certificates(
        number="7/QĐ-UBND-REVOKE",
        signed_on=datetime.date(2026, 11, 1),
        authority_level=Level.PROVINCE,
        authority_name="UBND tỉnh Đắk Lắk",
        reason="Vi phạm",
        certificates=[given.current_certificate],
        actor=office_user,
    )  # the index is not told

    results = search_backend.search(SearchQuery(text="ca phe bot"))

    assert "Cà phê bột Buôn Ma Thuột" not in names(results)
    assert results.total == len(names(results))  # nor counted in the total


def test_index_follows_revocation_and_recertification(search_backend, store_catalogue, office_user, certify):
    coffee = store_catalogue["coffee"]
    services.revoke_certificates(
        number="8/QĐ-UBND-REVOKE",
        signed_on=datetime.date(2026, 11, 1),
        authority_level=Level.PROVINCE,
        authority_name="UBND tỉnh Đắk Lắk",
        reason="Vi phạm",
        certificates=[coffee.current_certificate],
        actor=office_user,
    )
    deliver_index_events()

    hit_ids, _total = search_backend.search_ids(SearchQuery(text="ca phe bot"))
    assert coffee.pk not in hit_ids

    certify(coffee, stars=4, signed_on=datetime.date(2026, 11, 20))
    deliver_index_events()

    assert "Cà phê bột Buôn Ma Thuột" in names(search_backend.search(SearchQuery(text="ca phe bot")))


def test_filter_by_minimum_stars(search_backend):
    assert names(search_backend.search(SearchQuery(min_stars=5))) == ["Trà đường phèn"]
    assert set(names(search_backend.search(SearchQuery(min_stars=4)))) == {
        "Trà đường phèn",
        "Cà phê bột Buôn Ma Thuột",
        "Rượu cần Buôn Đôn",
    }


def test_filter_by_product_group_and_text(search_backend):
    food = ProductGroup.objects.get(code="1")

    results = search_backend.search(SearchQuery(text="buon", group_code=food.code))

    assert names(results) == ["Cà phê bột Buôn Ma Thuột"]


def test_filter_by_commune_and_producer(search_backend, store_catalogue, other_commune, producer):
    by_commune = search_backend.search(SearchQuery(commune_id=other_commune.pk))
    by_producer = search_backend.search(SearchQuery(producer_id=producer.pk, sort=Sort.NAME))

    assert set(names(by_commune)) == {"Mật ong hoa cà phê", "Rượu cần Buôn Đôn"}
    assert names(by_producer) == ["Cà phê bột Buôn Ma Thuột", "Trà đường phèn"]


def test_filter_by_price_range_is_inclusive(search_backend):
    results = search_backend.search(SearchQuery(price_min=Decimal("80000"), price_max=Decimal("250000")))

    assert set(names(results)) == {"Trà đường phèn", "Cà phê bột Buôn Ma Thuột", "Mật ong hoa cà phê"}


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (Sort.PRICE_ASC, ["Trà đường phèn", "Cà phê bột Buôn Ma Thuột", "Mật ong hoa cà phê", "Rượu cần Buôn Đôn"]),
        (Sort.PRICE_DESC, ["Rượu cần Buôn Đôn", "Mật ong hoa cà phê", "Cà phê bột Buôn Ma Thuột", "Trà đường phèn"]),
        (Sort.NAME, ["Cà phê bột Buôn Ma Thuột", "Mật ong hoa cà phê", "Rượu cần Buôn Đôn", "Trà đường phèn"]),
        (Sort.STARS, ["Trà đường phèn", "Cà phê bột Buôn Ma Thuột", "Rượu cần Buôn Đôn", "Mật ong hoa cà phê"]),
    ],
)
def test_sort_orders(search_backend, sort, expected):
    assert names(search_backend.search(SearchQuery(sort=sort))) == expected


def test_newest_first(search_backend, store_catalogue):
    results = search_backend.search(SearchQuery(sort=Sort.NEWEST))

    assert names(results)[0] == "Rượu cần Buôn Đôn"


def test_pages_do_not_overlap_and_count_everything(search_backend):
    first = search_backend.search(SearchQuery(sort=Sort.NAME, limit=3))
    second = search_backend.search(SearchQuery(sort=Sort.NAME, offset=3, limit=3))

    assert first.total == second.total == 4
    assert len(first) == 3
    assert names(second) == ["Trà đường phèn"]


def test_counting_stops_past_the_deepest_page_and_says_more_than(search_backend, monkeypatch):
    """No page offers a hit beyond MAX_HITS, so no backend counts further (here: 1 of 4 listable products, 2 of
    them about coffee)."""
    from storefront.search import base

    monkeypatch.setattr(base, "MAX_HITS", 1)

    listing = search_backend.search(SearchQuery(sort=Sort.NAME, offset=1, limit=1))
    search = search_backend.search(SearchQuery(text="ca phe", limit=1))
    one = search_backend.search(SearchQuery(text="ca phe bot", limit=1))

    assert listing.total == 2 and listing.more_than_counted and listing.counted == 1
    assert search.total == 2 and search.more_than_counted and search.counted == 1
    assert one.total == 1 and not one.more_than_counted and names(one) == ["Cà phê bột Buôn Ma Thuột"]


def test_reindexing_a_product_picks_up_its_new_price(search_backend, store_catalogue):
    coffee = store_catalogue["coffee"]
    coffee.store_listing.price = Decimal("999000")
    coffee.store_listing.save()

    search_backend.index_products([coffee.pk])

    assert names(search_backend.search(SearchQuery(price_min=Decimal("900000")))) == ["Cà phê bột Buôn Ma Thuột"]
