"""German full-text search, the same word forms on both backends.

The German Snowball stemmer is not symmetric for every plural: "Sprachkurs" is
stemmed to ``sprachkur`` but "Sprachkurse" to ``sprachkurs``. So each searched
word is expanded to its likely singular and plural forms, each of which is stemmed;
a document matches when it contains any form of every word.

- PostgreSQL stems with its ``german`` configuration: the index (``search_vector``,
  trigger in migration 0002) stays plain German.
- SQLite (the embedded default) keeps an FTS5 table (``ideas_idea_fts``, migration
  0004) of each idea's title and description stemmed by the same Snowball stemmer
  (``snowballstemmer``): triggers fill it on every insert, update and delete, through
  the function ``german_stems`` that every connection gets (``register_sqlite``).
  Queries are the same forms, stemmed the same way, ranked with FTS5's ``bm25`` with
  the title weighted above the description (as PostgreSQL's weights A and B).
"""

import functools
import re
from functools import reduce
from operator import and_, or_

import snowballstemmer
from django.contrib.postgres.search import SearchQuery
from django.db.models import F, FloatField, Func

CONFIG = "german"
MAX_WORDS = 8
_WORD = re.compile(r"\w+", re.UNICODE)
_SUFFIXES = ("en", "er", "es", "n", "s", "e")


def word_forms(word: str) -> list[str]:
    """The word and its likely inflected forms (singular/plural), lower-case."""
    word = word.lower()
    forms = {word}
    if len(word) >= 5:
        forms.add(word + "e")
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                forms.add(word[: -len(suffix)])
    return sorted(forms)


def words_of(text: str) -> list[str]:
    return _WORD.findall(text or "")[:MAX_WORDS]


def _word_query(word: str) -> SearchQuery:
    return reduce(or_, (SearchQuery(form, config=CONFIG) for form in word_forms(word)))


def all_words_query(text: str) -> SearchQuery | None:
    """Matches documents that contain (a form of) every word of ``text``."""
    words = words_of(text)
    if not words:
        return None
    return reduce(and_, (_word_query(w) for w in words))


def any_word_query(words: list[str]) -> SearchQuery | None:
    """Matches documents that contain (a form of) any of ``words``."""
    if not words:
        return None
    return reduce(or_, (_word_query(w) for w in words))


# --- SQLite: FTS5 ------------------------------------------------------------------

FTS_TABLE = "ideas_idea_fts"
FTS_WEIGHTS = (10.0, 4.0)  # title, description (PostgreSQL's A and B: 1.0 and 0.4)
_TOKEN = re.compile(r"\w+", re.UNICODE)


@functools.cache
def _stemmer():
    return snowballstemmer.stemmer("german")


def stem(word: str) -> str:
    return _stemmer().stemWord(word.lower())


def german_stems(text: str | None) -> str:
    """``text`` as the FTS table keeps it: each word stemmed (German Snowball, umlauts
    folded as the stemmer does: "Mütter" and "Mutter" are both ``mutt``)."""
    return " ".join(stem(word) for word in _TOKEN.findall(text or ""))


def register_sqlite(sender, connection, **kwargs) -> None:
    """``connection_created``: the triggers of migration 0004 call ``german_stems``."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("german_stems", 1, german_stems, deterministic=True)


def _fts_word(word: str) -> str:
    stems = sorted({stem(form) for form in word_forms(word)})
    return "(" + " OR ".join(f'"{s}"' for s in stems) + ")"


def fts_all_words(text: str) -> str | None:
    """An FTS5 query: a form of every word of ``text``."""
    words = words_of(text)
    return " AND ".join(_fts_word(w) for w in words) if words else None


def fts_any_word(words: list[str]) -> str | None:
    """An FTS5 query: a form of any of ``words``."""
    return " OR ".join(_fts_word(w) for w in words) if words else None


def fts_matches(match: str):
    """The ideas that match the FTS5 query ``match`` (SQLite), for ``pk__in``."""
    from django.db.models.expressions import RawSQL

    # the table's name is a constant; what the user typed is a parameter
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
    return RawSQL(sql, [match])  # noqa: S611


class FtsRank(Func):
    """How well the idea matches ``match``: FTS5's bm25, negated so that more is better
    (as PostgreSQL's rank). SQLite."""

    output_field = FloatField()

    def __init__(self, match: str):
        self.match = match
        super().__init__(F("pk"))

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        sql = (  # constants and the compiled column; what the user typed is a parameter
            f"(SELECT -bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s AND rowid = {column})"
        )
        return sql, [self.match, *params]
