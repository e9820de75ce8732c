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
from sklearn.decomposition import TruncatedSVD
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
CHAR_WEIGHT = 0.8
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


def cluster_ideas(
    ideas: list[tuple[int, str]],
    *,
    distance_threshold: float = 0.9,
    min_size: int = 2,
    max_size: int = 200,
    terms_per_cluster: int = 5,
) -> list[Cluster]:
    """Suggests groups among ``ideas`` (pairs of id and text), best first.

    Average-linkage clustering on cosine distance merges ideas until groups are
    further apart than ``distance_threshold``; the number of groups follows from the
    texts, not from a number chosen in advance. Large inputs are first reduced to 150
    dimensions (LSA) so that 2,000 ideas take a second or two.
    """
    if len(ideas) < min_size:
        return []
    analyzer = GermanAnalyzer()
    max_df = 0.5 if len(ideas) > 20 else 1.0
    vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, max_df=max_df)
    texts = [text for _id, text in ideas]
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # nothing but stop words
        return []
    terms = vectorizer.get_feature_names_out()
    # German compounds ("Deutschkurs", "Sprachkurse", "Gesundheitsamt") share parts,
    # not whole words: character n-grams of the stems find those.
    stemmed = [" ".join(analyzer(text)) for text in texts]
    grams = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(4, 5), sublinear_tf=True, max_df=max_df
    ).fit_transform(stemmed)
    combined = normalize(hstack([matrix, grams * CHAR_WEIGHT]).tocsr())
    if combined.shape[0] > 300:
        components = min(150, combined.shape[1] - 1)
        features = TruncatedSVD(n_components=components, random_state=0).fit_transform(combined)
        features = normalize(features)
    else:
        features = combined.toarray()
    empty = np.asarray(matrix.sum(axis=1)).ravel() == 0
    labels = AgglomerativeClustering(
        n_clusters=None,
        metric="cosine",
        linkage="average",
        distance_threshold=distance_threshold,
    ).fit_predict(np.where(empty[:, None], 1e-9, features))

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
        # cohesion: mean similarity of the members to their centroid
        vectors = features[indexes]
        center = vectors.mean(axis=0)
        norm = np.linalg.norm(center) or 1.0
        cohesion = float(np.mean(vectors @ (center / norm)))
        clusters.append(
            Cluster(idea_ids=[ideas[i][0] for i in indexes], terms=words, score=cohesion)
        )
    clusters.sort(key=lambda c: (-c.score, -len(c.idea_ids)))
    return clusters
