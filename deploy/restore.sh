#!/usr/bin/env bash
# Restores a backup made by deploy/backup.sh into an EMPTY database and an empty
# MEDIA_ROOT. Stop web, worker and beat first.
#
#   DATABASE_URL=postgres://.../roundtable MEDIA_ROOT=/srv/files deploy/restore.sh /backups/2026-11-25
set -euo pipefail
source_dir="${1:?usage: restore.sh BACKUP_DIR}"
: "${DATABASE_URL:?DATABASE_URL must be set}"
: "${MEDIA_ROOT:?MEDIA_ROOT must be set}"
( cd "$source_dir" && sha256sum --check --quiet SHA256SUMS )
tables=$(psql "$DATABASE_URL" -Atc "SELECT count(*) FROM pg_tables WHERE schemaname='public'")
if [ "$tables" != "0" ]; then
  echo "refusing to restore: the target database is not empty ($tables tables)" >&2
  exit 1
fi
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$source_dir/database.dump"
mkdir -p "$MEDIA_ROOT"
tar --extract --gzip --file="$source_dir/files.tar.gz" --directory="$MEDIA_ROOT"
echo "restored $source_dir"
