"""The search index follows store edits (queued after commit) and can be rebuilt by command."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from storefront.search import SearchQuery, get_backend

pytestmark = pytest.mark.django_db


def test_price_change_is_queued_for_reindexing_after_commit(
    store_catalogue, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr("storefront.tasks.index_products.delay", queued.append)
    listing = store_catalogue["coffee"].store_listing

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        listing.price = Decimal("99000")
        listing.save()
    assert queued == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()

    assert queued == [[store_catalogue["coffee"].pk]]


def test_reindex_command_makes_the_catalogue_searchable(store_catalogue, settings, capsys):
    settings.ELASTICSEARCH_URL = ""

    call_command("reindex_storefront_search")

    assert "database: indexed" in capsys.readouterr().out
    found = [p.name_vi for p in get_backend().search(SearchQuery(text="ruou can"))]
    assert found == ["Rượu cần Buôn Đôn"]
