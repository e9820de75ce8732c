"""Groups of similar ideas: TF-IDF over stemmed German words and agglomerative
clustering on cosine distance.

Kept free of Django so that the algorithm can be tested and measured on its own.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
import snowballstemmer
from scipy.sparse import hstack
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

# Words that say nothing about what an idea is about (German function words and the
# vocabulary every idea of an integration round table shares).
_STOPWORD_TEXT = """
    aber alle allem allen aller alles als also am an ander andere anderen anderer anderes
    auch auf aus bei beim bin bis bisher bitte bzw da dabei dadurch dafür daher damit dann
    daran darauf darin darüber das dass dem den denen der deren des dessen die dies diese
    diesem diesen dieser dieses doch dort durch ein eine einem einen einer eines einige
    einmal er es etwa etwas euch für gegen gibt hat hatte haben hier hin hinter ich ihr ihre
    ihrem ihren ihrer im in ins ist ja jede jedem jeden jeder jedes jetzt kann kein keine
    können könnte man mehr mit muss müssen nach neben nicht noch nur ob oder ohne schon sehr
    sein seine sich sie sind so solche soll sollen sollte sowie über um und uns unser unsere
    unter viel viele vom von vor während war waren was weil wenn wer werden wie wir wird
    wo wurde würde zu zum zur zwischen sowohl gerade besonders insbesondere gemeinsam z b
    integration integrieren runder tisch idee ideen vorschlag vorschläge kreis rhein sieg
    rhein-sieg-kreis angebot angebote sollten möglich neue neuen neuer
"""
STOPWORDS = set(_STOPWORD_TEXT.split())
CHAR_WEIGHT = 1.0
TOKEN = re.compile(r"[a-zäöüß]{3,}")


@dataclass
class Cluster:
    idea_ids: list[int]
    terms: list[str]
    score: float


class GermanAnalyzer:
    """Lower-cases, drops stop words and reduces words to their Snowball stem.

    Remembers the most frequent surface form of each stem, so that a suggestion can
    show "Sprachkurse" instead of the stem "sprachkurs".
    """

    def __init__(self):
        self.stemmer = snowballstemmer.stemmer("german")
        self.forms: dict[str, Counter] = defaultdict(Counter)
        self._cache: dict[str, str] = {}

    def __call__(self, text: str) -> list[str]:
        stems = []
        for word in TOKEN.findall(text.lower()):
            if word in STOPWORDS:
                continue
            stem = self._cache.get(word)
            if stem is None:
                stem = self._cache[word] = self.stemmer.stemWord(word)
            if stem in STOPWORDS or len(stem) < 3:
                continue
            self.forms[stem][word] += 1
            stems.append(stem)
        return stems

    def display(self, stem: str) -> str:
        forms = self.forms.get(stem)
        return forms.most_common(1)[0][0] if forms else stem


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _split(indexes, distances, threshold: float, max_size: int) -> list:
    """Average-linkage clusters of ``indexes`` no further apart than ``threshold``;
    a cluster larger than ``max_size`` is split again with a tighter threshold, so
    dense regions (many similar ideas) yield several focused groups instead of one."""
    if len(indexes) < 2:
        return [indexes]
    labels = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=threshold,
    ).fit_predict(distances[np.ix_(indexes, indexes)])
    groups = []
    for label in np.unique(labels):
        members = indexes[labels == label]
        if len(members) > max_size and threshold > 0.3:
            groups += _split(members, distances, threshold - 0.1, max_size)
        else:
            groups.append(members)
    return groups


def idea_text(title: str, description: str) -> str:
    """The text an idea is compared by: the title counts twice, it names the matter."""
    return f"{title}. {title}. {description}"


def cluster_ideas(
    ideas: list[tuple[int, str]],
    *,
    distance_threshold: float = 0.93,
    min_size: int = 2,
    max_size: int = 50,
    terms_per_cluster: int = 5,
) -> list[Cluster]:
    """Suggests groups among ``ideas`` (pairs of id and text), best first.

    Average-linkage clustering on cosine distance merges ideas until groups are
    further apart than ``distance_threshold``; the number of groups follows from the
    texts, not from a number chosen in advance. Groups larger than ``max_size`` are
    split again with a tighter threshold.
    """
    if len(ideas) < min_size:
        return []
    analyzer = GermanAnalyzer()
    max_df = 0.5 if len(ideas) > 20 else 1.0
    tokens = [analyzer(text) for _id, text in ideas]
    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, max_df=max_df)
    try:
        matrix = vectorizer.fit_transform(tokens)
    except ValueError:  # nothing but stop words
        return []
    terms = vectorizer.get_feature_names_out()
    # German compounds ("Deutschkurs", "Sprachkurse", "Gesundheitsamt") share parts,
    # not whole words: character n-grams of the stems find those.
    stemmed = [" ".join(words) for words in tokens]
    grams = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(4, 5), sublinear_tf=True, max_df=max_df
    ).fit_transform(stemmed)
    features = normalize(hstack([matrix, grams * CHAR_WEIGHT]).tocsr())
    empty = np.asarray(matrix.sum(axis=1)).ravel() == 0
    # cosine distances from the sparse vectors: no dense term matrix, no SVD
    similarity = (features @ features.T).toarray()
    distances = np.clip(1.0 - similarity, 0.0, 1.0)
    np.fill_diagonal(distances, 0.0)
    distances[empty, :] = 1.0
    distances[:, empty] = 1.0
    np.fill_diagonal(distances, 0.0)
    groups = _split(np.arange(len(ideas)), distances, distance_threshold, max_size)
    labels = np.empty(len(ideas), dtype=int)
    for label, indexes in enumerate(groups):
        labels[indexes] = label

    members: dict[int, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        if not empty[index]:
            members[label].append(index)
    clusters = []
    for indexes in members.values():
        if len(indexes) < min_size or len(indexes) > max_size:
            continue
        centroid = np.asarray(matrix[indexes].mean(axis=0)).ravel()
        top = centroid.argsort()[::-1][:terms_per_cluster]
        words = [analyzer.display(terms[i]) for i in top if centroid[i] > 0]
        # cohesion: mean similarity between the members
        block = similarity[np.ix_(indexes, indexes)]
        cohesion = float((block.sum() - len(indexes)) / (len(indexes) * (len(indexes) - 1)))
        clusters.append(
            Cluster(idea_ids=[ideas[i][0] for i in indexes], terms=words, score=cohesion)
        )
    clusters.sort(key=lambda c: (-c.score, -len(c.idea_ids)))
    return clusters
