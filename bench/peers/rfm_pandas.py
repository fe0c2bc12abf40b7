"""The pandas peer of Tierwise's R/F/M scoring on the same float data, for `npm run bench`.

Reads a customer CSV (recency,orders,spend; spend as arbitrary floats, not cents) and scores R, F
and M 1..5 with Tierwise's tie rule (shared/bands.ts). Times the scoring only, once cold and then
the best of three, and prints {"coldMs", "warmMs"} as JSON; writes the scores to the output CSV so
the bench can check they are identical.

    python3 rfm_pandas.py customers.csv scores.csv
"""
import json
import sys
import time

import numpy as np
import pandas as pd

c = pd.read_csv(sys.argv[1])


def scores(values, bands=5):
    worse = values.rank(method="min") - 1
    better = len(values) - values.rank(method="max")
    others = worse + better
    position = np.where(others == 0, 0.5, worse / others.where(others > 0, 1))
    return np.minimum(bands, np.floor(position * bands + 1e-9) + 1).astype(int)


def run():
    return pd.DataFrame({"r": scores(-c["recency"]), "f": scores(c["orders"]), "m": scores(c["spend"])})


times = []
for _ in range(4):
    t = time.perf_counter()
    result = run()
    times.append((time.perf_counter() - t) * 1000)
result.to_csv(sys.argv[2], index=False)
print(json.dumps({"coldMs": times[0], "warmMs": min(times[1:])}))
