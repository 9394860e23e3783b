"""Root pytest configuration: per-domain fixture modules are registered here once."""

pytest_plugins = [
    "catalog.tests.fixtures",
    "tests.worker",
]
