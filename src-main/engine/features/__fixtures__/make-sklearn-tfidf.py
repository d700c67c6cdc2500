#!/usr/bin/env python3
"""Writes sklearn-tfidf.json: scikit-learn's TfidfVectorizer results on pre-counted documents,
the reference tfidf.test.ts checks fitTransformTfidf against.

Run with Debian's Python and scikit-learn (apt-get install python3-sklearn python3-numpy):
    /usr/bin/python3 src-main/engine/features/__fixtures__/make-sklearn-tfidf.py
"""
import json
from pathlib import Path

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer

# Term counts per document. "\uff41tom" (U+FF41) against "\U00010330\U00010331" (above U+FFFF)
# checks code-point ordering of the vocabulary.
DOCS = [
    {"whale": 5, "sea": 3, "ship": 2, "captain": 1, "harpoon": 2, "the": 10},
    {"sea": 4, "ship": 3, "storm": 2, "captain": 2, "the": 8, "caf\u00e9": 1},
    {"war": 4, "soldier": 3, "battle": 2, "captain": 1, "the": 9, "storm": 1},
    {"love": 5, "heart": 2, "letter": 2, "the": 7, "caf\u00e9": 2, "\u00e9mile": 1},
    {"love": 2, "war": 2, "letter": 1, "heart": 1, "the": 6, "soldier": 1},
    {"atom": 3, "energy": 2, "experiment": 2, "the": 5, "\uff41tom": 1, "\U00010330\U00010331": 1},
    {"energy": 1, "experiment": 1, "sea": 1, "the": 4, "\uff41tom": 2, "\U00010330\U00010331": 2, "\u00e9mile": 1},
    {"unique": 1, "lonely": 1},
]

# Options as tfidf.ts names them; maxFeatures None means no limit.
# max_features keeps the top terms by total count via numpy's argsort, which is only stable (ties
# to the alphabetically first term, which tfidf.ts always does) for up to 16 candidates. So ties
# at a cut-off appear only in the case with 15 candidates; the 22-candidate cut has no tie.
CASES = [
    {"name": "defaults", "minDocs": 1, "maxDocFraction": 1.0, "maxFeatures": None,
     "sublinearTf": False, "smoothIdf": True, "norm": "l2"},
    {"name": "minDocs 2, maxDocFraction 0.6, sublinear", "minDocs": 2, "maxDocFraction": 0.6,
     "maxFeatures": None, "sublinearTf": True, "smoothIdf": True, "norm": "l2"},
    {"name": "maxFeatures 4, no smooth idf", "minDocs": 1, "maxDocFraction": 1.0, "maxFeatures": 4,
     "sublinearTf": False, "smoothIdf": False, "norm": "l2"},
    {"name": "minDocs 2, maxFeatures 7 cutting through tied totals, sublinear, no norm", "minDocs": 2,
     "maxDocFraction": 0.5, "maxFeatures": 7, "sublinearTf": True, "smoothIdf": True, "norm": "none"},
    {"name": "maxDocFraction 0.25 keeps df of exactly 2", "minDocs": 1, "maxDocFraction": 0.25,
     "maxFeatures": None, "sublinearTf": False, "smoothIdf": False, "norm": "l2"},
]


def tokens(counts):
    return [term for term, count in counts.items() for _ in range(count)]


def run(case):
    vectorizer = TfidfVectorizer(
        analyzer=tokens,
        min_df=case["minDocs"],
        max_df=float(case["maxDocFraction"]),
        max_features=case["maxFeatures"],
        sublinear_tf=case["sublinearTf"],
        smooth_idf=case["smoothIdf"],
        norm=None if case["norm"] == "none" else case["norm"],
    )
    matrix = vectorizer.fit_transform(DOCS).toarray()
    return {
        "options": {k: v for k, v in case.items() if k != "name"},
        "vocabulary": [str(t) for t in vectorizer.get_feature_names_out()],
        "idf": [float(v) for v in vectorizer.idf_],
        "dense": [[float(v) for v in row] for row in matrix],
    }


def main():
    out = {
        "generatedBy": f"make-sklearn-tfidf.py with scikit-learn {sklearn.__version__}, numpy {np.__version__}",
        "docs": DOCS,
        "cases": {case["name"]: run(case) for case in CASES},
    }
    path = Path(__file__).with_name("sklearn-tfidf.json")
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
