"""Throwaway encryption keys for benchmark runs: production settings (DEBUG off) refuse to load without them.

Scripts run on their own call ``use_throwaway_keys()`` before ``django.setup()``; shell scripts take them with
``eval "$(.venv/bin/python bench/secrets_env.py)"``. Nothing a benchmark encrypts outlives its run.
"""

import os
import shlex

from cryptography.fernet import Fernet

KEYS = ("SALEOR_APP_ENCRYPTION_KEY", "INTEGRATIONS_ENCRYPTION_KEY")


def use_throwaway_keys() -> None:
    for name in KEYS:
        os.environ.setdefault(name, Fernet.generate_key().decode())


if __name__ == "__main__":
    use_throwaway_keys()
    print("export " + " ".join(f"{name}={shlex.quote(os.environ[name])}" for name in KEYS))
