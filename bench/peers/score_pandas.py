"""The pandas peer of `tierwise score FILE --as-of DATE --csv` (R/F/M part), for `npm run bench`.

Reads the same transaction CSV (customer_id,date,amount), summarises per customer as of the date
(refunds are netted and are not orders; rows after the date are ignored), scores R, F and M 1..5 with
Tierwise's tie rule (position = worse / (worse + better), shared/bands.ts; spend compared in cents)
and writes the scored customers as CSV. Prints the wall time of each step as JSON on stderr.

    python3 score_pandas.py transactions.csv 2024-06-30 out.csv
"""
import json
import sys
import time

import numpy as np
import pandas as pd

t0 = time.perf_counter()
path, as_of, out = sys.argv[1], pd.Timestamp(sys.argv[2]), sys.argv[3]
log = pd.read_csv(path, dtype={"customer_id": str}, parse_dates=["date"])
t1 = time.perf_counter()
log = log[log["date"] <= as_of]
log["order"] = log["amount"] >= 0
c = log.groupby("customer_id", sort=False).agg(
    firstPurchase=("date", "min"), lastPurchase=("date", "max"), orders=("order", "sum"), totalSpend=("amount", "sum")
)
c["recency"] = (as_of - c["lastPurchase"]).dt.days
t2 = time.perf_counter()


def scores(values, bands=5):
    """1 + floor(bands * worse / (worse + better)); the middle band when nobody differs."""
    worse = values.rank(method="min") - 1
    better = len(values) - values.rank(method="max")
    others = worse + better
    position = np.where(others == 0, 0.5, worse / others.where(others > 0, 1))
    return np.minimum(bands, np.floor(position * bands + 1e-9) + 1).astype(int)


c["r"] = scores(-c["recency"])
c["f"] = scores(c["orders"])
c["m"] = scores(c["totalSpend"].round(2))
t3 = time.perf_counter()
c["firstPurchase"] = c["firstPurchase"].dt.strftime("%Y-%m-%d")
c["lastPurchase"] = c["lastPurchase"].dt.strftime("%Y-%m-%d")
c.to_csv(out, float_format="%.2f")
t4 = time.perf_counter()
print(json.dumps({"read": t1 - t0, "summarise": t2 - t1, "score": t3 - t2, "write": t4 - t3}), file=sys.stderr)
