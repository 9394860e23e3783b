"""What the deployment files must provide: the environment variables ocop/settings.py reads."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SETTINGS = ROOT / "ocop" / "settings.py"

# Read with a default, but production is wrong without them (the default is the embedded development setup).
PRODUCTION_REQUIRED = {
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_CSRF_TRUSTED_ORIGINS",
    "PUBLIC_BASE_URL",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "ELASTICSEARCH_URL",
    "SALEOR_API_URL",
    "SALEOR_APP_ENCRYPTION_KEY",
    "INTEGRATIONS_ENCRYPTION_KEY",
}
# Read by the test runner only.
TEST_ONLY = {"TEST_DATABASE_NAME"}


def settings_env_vars() -> dict[str, bool]:
    """Every variable read through ``env`` in ocop/settings.py -> whether the read has a default."""
    found: dict[str, bool] = {}
    for node in ast.walk(ast.parse(SETTINGS.read_text())):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        reads_env = (isinstance(func, ast.Name) and func.id == "env") or (
            isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "env"
        )
        first = node.args[0]
        if reads_env and isinstance(first, ast.Constant) and isinstance(first.value, str):
            has_default = any(keyword.arg == "default" for keyword in node.keywords) or len(node.args) > 2
            found[first.value] = found.get(first.value, True) and has_default
    return found


def required_in_production() -> set[str]:
    without_default = {name for name, has_default in settings_env_vars().items() if not has_default}
    return (without_default | PRODUCTION_REQUIRED) - TEST_ONLY
