#!/usr/bin/env bash
# Backup of the portal: a pg_dump (custom format) of the database plus a tar of the
# stored files (MEDIA_ROOT: attachments, committee reports). Both belong together:
# restore them as a pair (deploy/restore.sh).
#
#   DATABASE_URL=postgres://... MEDIA_ROOT=/srv/files deploy/backup.sh /backups/2026-11-25
set -euo pipefail
target="${1:?usage: backup.sh TARGET_DIR}"
: "${DATABASE_URL:?DATABASE_URL must be set}"
: "${MEDIA_ROOT:?MEDIA_ROOT must be set}"
mkdir -p "$target"
# The database first: a file named in a row is then certain to be in the tar taken
# after it (reports and attachments are written before their row commits, never changed).
pg_dump --format=custom --no-owner --no-privileges --file="$target/database.dump" "$DATABASE_URL"
mkdir -p "$MEDIA_ROOT"
tar --create --gzip --file="$target/files.tar.gz" --directory="$MEDIA_ROOT" .
( cd "$target" && sha256sum database.dump files.tar.gz > SHA256SUMS )
echo "backup written to $target"
