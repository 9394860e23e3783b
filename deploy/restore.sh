#!/usr/bin/env bash
# Restore a backup made by backup.sh into the database named by DATABASE_URL, which is emptied first,
# and replace the media files. Stop web, workers and beat before running it.
#
#   DATABASE_URL=... DJANGO_MEDIA_ROOT=/app/var/media deploy/restore.sh --yes /backups/ocop-STAMP.dump
#
# The media tarball and checksum file are found beside the dump (ocop-STAMP-media.tar.gz, ocop-STAMP.sha256).
set -euo pipefail

if [ "${1:-}" != "--yes" ]; then
  echo "usage: restore.sh --yes DUMP_FILE   (this erases the database named by DATABASE_URL and the media files)" >&2
  exit 2
fi
dump=${2:?usage: restore.sh --yes DUMP_FILE}
: "${DATABASE_URL:?DATABASE_URL must be set}"
media_root=${DJANGO_MEDIA_ROOT:-var/media}
base=${dump%.dump}
media="$base-media.tar.gz"
sums="$base.sha256"

if [ -f "$sums" ]; then
  (cd "$(dirname "$dump")" && sha256sum --check --quiet "$(basename "$sums")")
fi

# Empty the database: every schema our dump may hold is dropped and public recreated.
psql --quiet --no-psqlrc --set=ON_ERROR_STOP=1 --dbname="$DATABASE_URL" <<'SQL'
DROP SCHEMA public CASCADE;
CREATE SCHEMA public;
SQL
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$DATABASE_URL" "$dump"

if [ -f "$media" ]; then
  mkdir -p "$media_root"
  find "$media_root" -mindepth 1 -delete
  tar -C "$media_root" -xzf "$media"
fi
echo "restored $dump"
