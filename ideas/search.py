"""German full-text queries for PostgreSQL.

The German Snowball stemmer is not symmetric for every plural: "Sprachkurs" is
stemmed to ``sprachkur`` but "Sprachkurse" to ``sprachkurs``. So each searched
word is expanded to its likely singular and plural forms, each of which
PostgreSQL stems itself; a document matches when it contains any form of every
word. The index (``search_vector``, trigger in migration 0002) stays plain German.
"""

import re
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery

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
