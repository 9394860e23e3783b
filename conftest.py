"""Root pytest configuration: per-domain fixture modules are registered here once."""

pytest_plugins = [
    "catalog.tests.fixtures",
    "catalog.applications.tests.fixtures",
    "catalog.accounts.tests.fixtures",
    "catalog.programme.tests.fixtures",
    "tests.worker",
    "tests.browser",
    "integrations.tests.fixtures",
    "storefront.tests.fixtures",
    "storefront.saleor_app.tests.fixtures",
    "traceability.tests.fixtures",
    "traceability.oversight.tests.fixtures",
]


import os  # noqa: E402

import pytest  # noqa: E402

from tests import clock  # noqa: E402


def pytest_configure(config):
    """The suite runs on a fixed day (tests/clock.py), except against a live Saleor, whose signed webhooks carry
    the real time and are refused outside the replay window."""
    if not os.environ.get("SALEOR_API_URL"):
        clock.start()


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(settings, tmp_path_factory):
    """Public media and private files of each test in folders of their own, never the checkout's var/."""
    root = tmp_path_factory.mktemp("files")
    settings.MEDIA_ROOT = root / "media"
    settings.PRIVATE_FILES_ROOT = root / "private"


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Requests without Accept-Language get English in tests (the site's default is Vietnamese);
    tests about Vietnamese ask for it."""
    settings.LANGUAGE_CODE = "en"


#: Rebuilt by the post_migrate handlers that every flush runs (content types, permissions, role groups).
_REBUILT_AFTER_FLUSH = {"contenttypes.contenttype", "auth.permission", "auth.group"}


@pytest.fixture(scope="session")
def _migrated_contents(django_db_setup, django_db_blocker):
    """What data migrations put in the test database (rule sets, product groups, criteria, document kinds…)."""
    import json

    from django.db import connection

    with django_db_blocker.unblock():
        rows = json.loads(connection.creation.serialize_db_to_string())
    return json.dumps([row for row in rows if row["model"] not in _REBUILT_AFTER_FLUSH])


@pytest.fixture(autouse=True)
def _restore_migrated_data_after_flush(request):
    """Transactional tests (live server, real worker) flush every table after each test, taking the data
    that migrations load with them: put it back before each such test, as Django's serialized rollback does."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server", "celery_worker_process")
    )
    if not transactional:
        return
    contents = request.getfixturevalue("_migrated_contents")
    request.getfixturevalue("transactional_db")
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import DEFAULT_DB_ALIAS, connection

    connection.creation.deserialize_db_from_string(contents)
    emit_post_migrate_signal(verbosity=0, interactive=False, db=DEFAULT_DB_ALIAS)
