"""Independent cross-check of the BG/NBD and Gamma-Gamma fits on the CDNOW calibration summary.

Not part of `npm test` (CI machines have no SciPy): run by hand with `python3 test/crosscheck/cdnow_scipy.py`
where numpy and scipy are installed (Debian: python3-scipy). It fits both models with scipy's own
optimiser and special functions from the published summary file and prints parameters and
log-likelihoods, to compare with `tierwise fit` and with test/shared/clv.test.ts.
"""
import csv
import pathlib
import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln, betaln

rows = list(csv.DictReader(open(pathlib.Path(__file__).parent.parent / "fixtures/cdnow/cdnow_customers_summary_with_transactions.csv")))
x = np.array([float(r["x"]) for r in rows])
tx = np.array([float(r["t_x"]) for r in rows])
T = np.array([float(r["T"]) for r in rows])
zbar = np.array([float(r["zbar"]) for r in rows])


def bgnbd_ll(log_params):
    r, alpha, a, b = np.exp(log_params)
    base = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a1 = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        a2 = np.where(x > 0, betaln(a + 1, b + np.maximum(x, 1) - 1) - betaln(a, b) - (r + x) * np.log(alpha + tx), -np.inf)
    return np.sum(base + np.logaddexp(a1, a2))


def gg_ll(log_params):
    p, q, v = np.exp(log_params)
    xs, m = x[x > 0], zbar[x > 0]
    return np.sum(gammaln(p * xs + q) - gammaln(p * xs) - gammaln(q) + q * np.log(v) + (p * xs - 1) * np.log(m)
                  + p * xs * np.log(xs) - (p * xs + q) * np.log(xs * m + v))


bg = minimize(lambda t: -bgnbd_ll(t), np.zeros(4), method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-10, "maxiter": 20000})
gg = minimize(lambda t: -gg_ll(t), np.zeros(3), method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-10, "maxiter": 20000})
print("BG/NBD r, alpha, a, b =", np.round(np.exp(bg.x), 4), "LL =", round(-bg.fun, 4))
print("Gamma-Gamma p, q, gamma =", np.round(np.exp(gg.x), 4), "LL =", round(-gg.fun, 4))
