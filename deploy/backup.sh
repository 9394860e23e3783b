#!/usr/bin/env bash
# Back up the database (pg_dump custom format) and the media files (tarball) into a folder.
#
#   DATABASE_URL=postgres://user:pass@host:5432/ocop DJANGO_MEDIA_ROOT=/app/var/media deploy/backup.sh /backups
#
# Writes ocop-STAMP.dump, ocop-STAMP-media.tar.gz and ocop-STAMP.sha256 and prints the dump's path.
# In compose:  docker compose exec web sh -c 'deploy/backup.sh /app/var/media/../backups'  (or run pg_dump in the
# postgres service); in Kubernetes run it from a pod with the app's environment. Keep copies off the server.
set -euo pipefail

dest=${1:?usage: backup.sh DEST_DIR}
: "${DATABASE_URL:?DATABASE_URL must be set}"
media_root=${DJANGO_MEDIA_ROOT:-var/media}
stamp=${BACKUP_STAMP:-$(date -u +%Y%m%dT%H%M%SZ)}

mkdir -p "$dest"
dump="$dest/ocop-$stamp.dump"
media="$dest/ocop-$stamp-media.tar.gz"

# Custom format: compressed, restorable selectively and in parallel; no owners so it restores under any role.
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$dump.partial"
mv "$dump.partial" "$dump"

if [ -d "$media_root" ]; then
  tar -C "$media_root" -czf "$media.partial" .
else
  tar -czf "$media.partial" --files-from=/dev/null
fi
mv "$media.partial" "$media"

(cd "$dest" && sha256sum "$(basename "$dump")" "$(basename "$media")" > "ocop-$stamp.sha256")
echo "$dump"
