#!/usr/bin/env bash
# Restore drill (run by CI): seed a PostgreSQL database, make a committee report (a PDF
# with its SHA-256 in the database), back up with deploy/backup.sh, restore with
# deploy/restore.sh into an empty database, then compare the row count of every table
# and the report's checksum against the restored file.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
PGURL="${DRILL_PG:-postgres://postgres@127.0.0.1:5432}"
SRC_DB=rt_drill_source
DST_DB=rt_drill_restored
DRILL_DIR="${DRILL_DIR:-$PWD/var/restore-drill}"
export VAR_DIR="$DRILL_DIR/var" CELERY_TASK_ALWAYS_EAGER=true DEMO_PASSWORD="Drill-$RANDOM-$RANDOM-x"

rm -rf "$DRILL_DIR"
mkdir -p "$DRILL_DIR"
for db in "$SRC_DB" "$DST_DB"; do
  psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
done

echo "== seed $SRC_DB"
export DATABASE_URL="$PGURL/$SRC_DB" MEDIA_ROOT="$DRILL_DIR/files-source"
"$PY" manage.py migrate --noinput --verbosity 0
"$PY" manage.py seed_demo --open workshop >/dev/null
"$PY" manage.py shell --no-imports -c "
from roundtable.committees import services
from roundtable.committees.models import Paper, Report
paper = Paper.objects.order_by('pk').first()
assert paper is not None, 'seed_demo made no committee paper'
# a submitted paper has its final PDF (queued when it was submitted); a draft a preview
report = Report.objects.filter(paper=paper, paper_version__isnull=False).order_by('pk').first()
if report is None:
    report = services.report_request(paper=paper, by=None)
services.report_generate(report_id=report.pk)
report.refresh_from_db()
assert report.status == Report.Status.DONE, report.error_message
print('report', report.pk, report.sha256)
"

echo "== back up"
deploy/backup.sh "$DRILL_DIR/backup"

echo "== restore into $DST_DB"
DATABASE_URL="$PGURL/$DST_DB" MEDIA_ROOT="$DRILL_DIR/files-restored" \
  deploy/restore.sh "$DRILL_DIR/backup"

echo "== compare"
counts() {
  psql "$PGURL/$1" -At -F' ' -c "SELECT tablename FROM pg_tables WHERE schemaname='public' ORDER BY 1" |
    while read -r table; do
      echo "$table $(psql "$PGURL/$1" -Atc "SELECT count(*) FROM \"$table\"")"
    done
}
counts "$SRC_DB" > "$DRILL_DIR/counts-source.txt"
counts "$DST_DB" > "$DRILL_DIR/counts-restored.txt"
if ! diff -u "$DRILL_DIR/counts-source.txt" "$DRILL_DIR/counts-restored.txt"; then
  echo "FAIL: row counts differ"; exit 1
fi
tables=$(wc -l < "$DRILL_DIR/counts-source.txt")
rows=$(awk '{s+=$2} END {print s}' "$DRILL_DIR/counts-source.txt")
ideas=$(awk '$1=="ideas_idea" {print $2}' "$DRILL_DIR/counts-source.txt")
[ "${ideas:-0}" -gt 0 ] || { echo "FAIL: the seeded database has no ideas"; exit 1; }

reports=0
while read -r file sha; do
  [ -n "$file" ] || continue
  actual=$(sha256sum "$DRILL_DIR/files-restored/$file" | cut -d' ' -f1)
  if [ "$actual" != "$sha" ]; then
    echo "FAIL: report $file: checksum $actual, database says $sha"; exit 1
  fi
  reports=$((reports + 1))
done < <(psql "$PGURL/$DST_DB" -At -F' ' -c "SELECT file, sha256 FROM committees_report WHERE status='done'")
[ "$reports" -gt 0 ] || { echo "FAIL: no finished report to check"; exit 1; }

echo "restore drill OK: $tables tables, $rows rows equal; $reports report(s) with matching SHA-256"
for db in "$SRC_DB" "$DST_DB"; do psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS $db"; done
