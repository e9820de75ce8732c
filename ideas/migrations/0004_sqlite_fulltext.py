"""Full-text search on SQLite (the embedded default): an FTS5 table of each idea's title
and description stemmed by the German Snowball stemmer, kept current by triggers on
every insert, update and delete (services, admin and bulk_create alike). The triggers
call ``german_stems``, which every SQLite connection of the portal gets
(ideas.search.register_sqlite). PostgreSQL has its own (migration 0002): nothing here."""

from django.db import migrations

from ideas.search import FTS_TABLE

CREATE_SQL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(title, description, "
    "tokenize = 'unicode61 remove_diacritics 0')",
    f"""
    CREATE TRIGGER IF NOT EXISTS ideas_idea_fts_insert AFTER INSERT ON ideas_idea BEGIN
      INSERT INTO {FTS_TABLE} (rowid, title, description)
      VALUES (new.id, german_stems(new.title), german_stems(new.description));
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS ideas_idea_fts_update AFTER UPDATE OF title, description
    ON ideas_idea BEGIN
      UPDATE {FTS_TABLE} SET title = german_stems(new.title),
        description = german_stems(new.description) WHERE rowid = new.id;
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS ideas_idea_fts_delete AFTER DELETE ON ideas_idea BEGIN
      DELETE FROM {FTS_TABLE} WHERE rowid = old.id;
    END
    """,
    f"DELETE FROM {FTS_TABLE}",
    f"INSERT INTO {FTS_TABLE} (rowid, title, description) "
    "SELECT id, german_stems(title), german_stems(description) FROM ideas_idea",
]
DROP_SQL = [
    "DROP TRIGGER IF EXISTS ideas_idea_fts_insert",
    "DROP TRIGGER IF EXISTS ideas_idea_fts_update",
    "DROP TRIGGER IF EXISTS ideas_idea_fts_delete",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0003_list_order_index"),
    ]

    operations = [
        migrations.RunPython(_run(CREATE_SQL), _run(DROP_SQL)),
    ]
