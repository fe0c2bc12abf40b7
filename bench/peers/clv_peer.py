"""The CLV peer on Tierwise's benchmark data: `python3 bench/peers/clv_peer.py FILE.csv`.

FILE.csv has lifetimes' summary columns frequency,recency,T (weeks): `npm run bench` writes the
1,000,000-history file it fits and runs this script on it. With lifetimes installed, it times
lifetimes' BetaGeoFitter; otherwise a BG/NBD fit with NumPy and SciPy (the same vectorised
log-likelihood as lifetimes, minimised by scipy.optimize.minimize with L-BFGS-B). Cold: one fit, in a
fresh process, file reading excluded. Prints one line: the time and the estimates.
"""
import sys
import time
import numpy as np

data = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
x, tx, T = data[:, 0], data[:, 1], data[:, 2]

try:
    import pandas as pd
    from lifetimes import BetaGeoFitter

    frame = pd.DataFrame({"frequency": x, "recency": tx, "T": T})
    start = time.perf_counter()
    fitter = BetaGeoFitter().fit(frame["frequency"], frame["recency"], frame["T"])
    ms = (time.perf_counter() - start) * 1000
    p = fitter.params_
    print(f"lifetimes {ms:.0f} ms; r {p['r']:.4f} alpha {p['alpha']:.4f} a {p['a']:.4f} b {p['b']:.4f}")
except ImportError:
    from scipy.optimize import minimize
    from scipy.special import betaln, gammaln

    def negative_ll(log_params):
        r, alpha, a, b = np.exp(log_params)
        base = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
        a1 = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + T)
        a2 = np.where(x > 0, betaln(a + 1, b + np.maximum(x, 1) - 1) - betaln(a, b) - (r + x) * np.log(alpha + tx), -np.inf)
        return -np.mean(base + np.logaddexp(a1, a2))

    start, cpu = time.perf_counter(), time.process_time()
    fit = minimize(negative_ll, np.zeros(4), method="L-BFGS-B")
    ms, cpu_ms = (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000
    r, alpha, a, b = np.exp(fit.x)
    print(f"SciPy {ms:.0f} ms (CPU {cpu_ms:.0f} ms); r {r:.4f} alpha {alpha:.4f} a {a:.4f} b {b:.4f}")
