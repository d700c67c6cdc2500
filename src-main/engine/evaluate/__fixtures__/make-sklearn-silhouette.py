#!/usr/bin/python3
"""Makes sklearn-silhouette.json: silhouette_score (Euclidean) and silhouette_samples from
scikit-learn for a few point sets and labelings, so silhouette.ts can be checked against an
independent implementation.

Run once with Debian's python3-sklearn:  /usr/bin/python3 make-sklearn-silhouette.py
"""
import json
from pathlib import Path

import numpy as np
import sklearn
from sklearn.metrics import silhouette_samples, silhouette_score

rng = np.random.default_rng(20261201)


def blobs(centres, per, spread, dims):
    points, labels = [], []
    for c, centre in enumerate(centres):
        for _ in range(per):
            points.append([float(x) for x in np.asarray(centre) + rng.normal(0, spread, dims)])
            labels.append(c)
    return points, labels


three, three_labels = blobs([[0, 0], [5, 0], [0, 5]], 6, 0.6, 2)
# 197 points in 16 dimensions, unit length (as K-means sees the embeddings), 12 noisy groups
centres = rng.normal(0, 1, (12, 16))
raw = [centres[i % 12] + rng.normal(0, 0.8, 16) for i in range(197)]
unit = [[float(x) for x in v / np.linalg.norm(v)] for v in raw]
unit_labels = [i % 12 if rng.random() < 0.8 else int(rng.integers(0, 12)) for i in range(197)]

cases = [
    ("three blobs, right labels", three, three_labels),
    ("three blobs, labels shuffled", three, [int(x) for x in rng.permutation(three_labels)]),
    ("a singleton cluster", [[0.0], [0.1], [0.2], [5.0], [9.0], [9.1]], [0, 0, 0, 1, 2, 2]),
    ("duplicate points", [[1.0, 1.0], [1.0, 1.0], [3.0, 3.0], [3.0, 3.0]], [0, 0, 1, 1]),
    ("two clusters on a line", [[0.0], [1.0], [2.0], [10.0], [11.0]], [0, 0, 1, 1, 1]),
    ("197 unit vectors, 12 noisy groups", unit, unit_labels),
]

out = {
    "generator": f"make-sklearn-silhouette.py with scikit-learn {sklearn.__version__}, numpy {np.__version__}",
    "score": "silhouette_score(points, labels)  (metric='euclidean')",
    "cases": [
        {
            "name": name,
            "points": points,
            "labels": labels,
            "score": float(silhouette_score(np.array(points), labels)),
            "samples": [float(s) for s in silhouette_samples(np.array(points), labels)],
        }
        for name, points, labels in cases
    ],
}
path = Path(__file__).with_name("sklearn-silhouette.json")
header = {k: v for k, v in out.items() if k != "cases"}
lines = [json.dumps(header)[:-1] + ', "cases": [']
lines.append(",\n".join(json.dumps(case) for case in out["cases"]))
lines.append("]}")
path.write_text("\n".join(lines) + "\n")
for case in out["cases"]:
    print(f'{case["name"]:40s} silhouette={case["score"]:.12f}')
