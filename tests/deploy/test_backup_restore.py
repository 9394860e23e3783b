"""deploy/backup.sh and deploy/restore.sh, round trip against the local PostgreSQL on a scratch database."""

import os
import shutil
import subprocess

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

from .environment import DEPLOY

SCRATCH = "test_ocop_deploy_backup"


def _params():
    db = settings.DATABASES["default"]
    return {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
    }


def _url(name):
    p = _params()
    auth = (p["user"] or "") + (f":{p['password']}" if p["password"] else "")
    return f"postgres://{auth + '@' if auth else ''}{p['host']}:{p['port']}/{name}"


@pytest.fixture
def scratch_database():
    with psycopg.connect(dbname="postgres", autocommit=True, **_params()) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(SCRATCH)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(SCRATCH)))
    yield _url(SCRATCH)
    with psycopg.connect(dbname="postgres", autocommit=True, **_params()) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(SCRATCH)))


def _load(url):
    with psycopg.connect(url) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        conn.execute("CREATE TABLE producer (id bigserial PRIMARY KEY, name text NOT NULL)")
        conn.execute(
            "CREATE TABLE product (id bigserial PRIMARY KEY, producer_id bigint REFERENCES producer, "
            "name text NOT NULL, price numeric(14, 0) NOT NULL, stars int)"
        )
        conn.execute("CREATE INDEX product_name_trgm ON product USING gin (name gin_trgm_ops)")
        conn.execute("INSERT INTO producer (name) SELECT 'HTX Cà phê ' || g FROM generate_series(1, 50) g")
        conn.execute(
            "INSERT INTO product (producer_id, name, price, stars) SELECT 1 + g % 50, "
            "'Sản phẩm OCOP ' || g, 10000 + g * 500, 3 + g % 3 FROM generate_series(1, 2000) g"
        )


def _fingerprint(url):
    with psycopg.connect(url) as conn:
        return {
            table: conn.execute(
                sql.SQL("SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY id), '')) FROM {} t").format(
                    sql.Identifier(table)
                )
            ).fetchone()
            for table in ("producer", "product")
        }


def _run(script, *args, url, media_root):
    env = dict(os.environ, DATABASE_URL=url, DJANGO_MEDIA_ROOT=str(media_root))
    return subprocess.run(  # noqa: S603 - fixed scripts of this repository
        [shutil.which("bash"), str(DEPLOY / script), *args], env=env, capture_output=True, text=True, check=False
    )


def test_a_backup_restores_the_database_and_media_after_they_are_wiped(scratch_database, tmp_path):
    media = tmp_path / "media"
    (media / "products").mkdir(parents=True)
    (media / "products" / "ca-phe.jpg").write_bytes(bytes(range(256)) * 40)
    (media / "labels.pdf").write_bytes(b"%PDF-1.4 labels")
    _load(scratch_database)
    before = _fingerprint(scratch_database)

    backup = _run("backup.sh", str(tmp_path / "backups"), url=scratch_database, media_root=media)
    assert backup.returncode == 0, backup.stderr
    dump = backup.stdout.strip().splitlines()[-1]
    with psycopg.connect(scratch_database) as conn:  # wipe: rows gone, a table dropped, a stray table added
        conn.execute("DELETE FROM product WHERE id % 3 = 0")
        conn.execute("UPDATE producer SET name = 'changed'")
        conn.execute("CREATE TABLE stray (id int)")
    (media / "labels.pdf").unlink()
    (media / "stray.txt").write_text("not in the backup")
    restore = _run("restore.sh", "--yes", dump, url=scratch_database, media_root=media)

    assert restore.returncode == 0, restore.stderr
    assert _fingerprint(scratch_database) == before
    assert before["product"][0] == 2000
    with psycopg.connect(scratch_database) as conn:
        assert conn.execute("SELECT to_regclass('stray')").fetchone() == (None,)
        assert conn.execute("SELECT count(*) FROM product WHERE name % 'Sản phẩm OCOP 7'").fetchone()[0] > 0
    assert (media / "products" / "ca-phe.jpg").read_bytes() == bytes(range(256)) * 40
    assert (media / "labels.pdf").read_bytes() == b"%PDF-1.4 labels"
    assert not (media / "stray.txt").exists()


def test_restore_refuses_without_confirmation_and_on_a_corrupted_backup(scratch_database, tmp_path):
    _load(scratch_database)
    before = _fingerprint(scratch_database)
    backup = _run("backup.sh", str(tmp_path / "backups"), url=scratch_database, media_root=tmp_path / "none")
    dump = backup.stdout.strip().splitlines()[-1]

    unconfirmed = _run("restore.sh", dump, url=scratch_database, media_root=tmp_path / "none")
    with open(dump, "r+b") as file:
        file.seek(200)
        file.write(b"corrupted")
    corrupted = _run("restore.sh", "--yes", dump, url=scratch_database, media_root=tmp_path / "none")

    assert unconfirmed.returncode != 0
    assert corrupted.returncode != 0
    assert _fingerprint(scratch_database) == before
