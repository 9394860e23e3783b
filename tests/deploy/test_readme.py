import re

from .environment import DEPLOY, TEST_ONLY, settings_env_vars


def test_every_setting_read_from_the_environment_is_in_the_operators_table():
    table = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", (DEPLOY / "README.md").read_text(), flags=re.MULTILINE))

    missing = set(settings_env_vars()) - table - TEST_ONLY
    assert not missing, f"document in deploy/README.md: {sorted(missing)}"
