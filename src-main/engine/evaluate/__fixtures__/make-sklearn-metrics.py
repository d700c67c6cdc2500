#!/usr/bin/python3
"""Makes sklearn-metrics.json: NMI (arithmetic mean), ARI, homogeneity, completeness and V-measure
(a as the true classes, b as the clusters) from scikit-learn for a few label
pairs, so metrics.ts can be checked against an independent implementation.

Run once with Debian's python3-sklearn:  /usr/bin/python3 make-sklearn-metrics.py
"""
import json
from pathlib import Path

import numpy as np
import sklearn
from sklearn.metrics import adjusted_rand_score, homogeneity_completeness_v_measure, normalized_mutual_info_score

rng = np.random.default_rng(20240611)

genres = ["children", "drama", "poetry", "history", "travel", "religion"]
truth_197 = [int(x) for x in rng.integers(0, 12, size=197)]
# A clustering that mostly follows the truth: 70% keep their class (renamed), the rest are random.
noisy_197 = [
    (t * 5 + 3) % 12 if rng.random() < 0.7 else int(rng.integers(0, 12)) for t in truth_197
]

cases = [
    ("perfect match", [0, 0, 1, 1, 2, 2, 2], [0, 0, 1, 1, 2, 2, 2]),
    ("permutation of label names", [0, 0, 1, 1, 2, 2, 3], [2, 2, 0, 0, 3, 3, 1]),
    ("string labels against numbers",
     [genres[i % 6] for i in range(30)], [(i % 6) // 2 for i in range(30)]),
    ("random labelings", [int(x) for x in rng.integers(0, 4, size=60)],
     [int(x) for x in rng.integers(0, 5, size=60)]),
    ("different numbers of clusters", [0, 0, 0, 1, 1, 1, 2, 2, 2, 2],
     [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]),
    ("one cluster against several", [0] * 8, [0, 0, 1, 1, 2, 2, 3, 3]),
    ("both one cluster", [5] * 6, [1] * 6),
    ("every item alone against one cluster", [0, 1, 2, 3], [0, 0, 0, 0]),
    ("worse than chance", [0, 0, 1, 1], [0, 1, 0, 1]),
    ("197 books, 12 genres, noisy clustering", truth_197, noisy_197),
]

out = {
    "generator": f"make-sklearn-metrics.py with scikit-learn {sklearn.__version__}, numpy {np.__version__}",
    "nmi": "normalized_mutual_info_score(a, b)  (average_method='arithmetic')",
    "ari": "adjusted_rand_score(a, b)",
    "hcv": "homogeneity_completeness_v_measure(labels_true=a, labels_pred=b)",
    "cases": [
        {
            "name": name,
            "a": a,
            "b": b,
            "nmi": float(normalized_mutual_info_score(a, b)),
            "ari": float(adjusted_rand_score(a, b)),
            "hcv": [float(x) for x in homogeneity_completeness_v_measure(a, b)],
        }
        for name, a, b in cases
    ],
}
path = Path(__file__).with_name("sklearn-metrics.json")
# One case per line keeps the long label lists readable in a diff.
header = {k: v for k, v in out.items() if k != "cases"}
lines = [json.dumps(header)[:-1] + ', "cases": [']
lines.append(",\n".join(json.dumps(case) for case in out["cases"]))
lines.append("]}")
path.write_text("\n".join(lines) + "\n")
for case in out["cases"]:
    print(f'{case["name"]:45s} nmi={case["nmi"]:.12f} ari={case["ari"]:.12f}')
