import pytest


@pytest.fixture(autouse=True)
def _oversight(oversight_settings):
    return oversight_settings
