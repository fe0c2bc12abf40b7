"""Independent cross-check of the Pareto/NBD on the CDNOW calibration summary.

Not part of `npm test` (CI machines have no SciPy): run by hand with `python3 test/crosscheck/pareto_scipy.py`
where numpy and scipy are installed (Debian: python3-scipy). It fits the Pareto/NBD with SciPy's own
hypergeometric function and optimiser (the likelihood of Fader, Hardie & Lee's 2005 note, eq. 22), then
computes, at the published estimates (r 0.55, alpha 10.58, s 0.61, beta 11.67), P(alive), the expected
purchases in the next 39 weeks and P(no purchase in 39 weeks) for a few histories by numerical
integration over the posterior (scipy.integrate.quad), a route independent of the closed forms.
Compare with test/shared/clv.test.ts (Pareto/NBD) and `tierwise fit --model pareto-nbd`.
"""
import csv
import pathlib
import numpy as np
from scipy.integrate import quad
from scipy.optimize import minimize
from scipy.special import gammaln, hyp2f1

rows = list(csv.DictReader(open(pathlib.Path(__file__).parent.parent / "fixtures/cdnow/cdnow_customers_summary_with_transactions.csv")))
x = np.array([float(r["x"]) for r in rows])
tx = np.array([float(r["t_x"]) for r in rows])
T = np.array([float(r["T"]) for r in rows])


def log_a0(r, alpha, s, beta, x, tx, T):
    m, k = (alpha, s + 1) if alpha >= beta else (beta, r + x)
    d = abs(alpha - beta)
    rsx = r + s + x
    f = lambda y: hyp2f1(rsx, k, rsx + 1, d / (m + y)) / (m + y) ** rsx
    return np.log(f(tx) - f(T))


def pnbd_ll(log_params):
    r, alpha, s, beta = np.exp(log_params)
    base = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
    alive = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
    with np.errstate(divide="ignore"):
        died = np.log(s) - np.log(r + s + x) + log_a0(r, alpha, s, beta, x, tx, T)
    return np.sum(base + np.logaddexp(alive, died))


fit = minimize(lambda t: -pnbd_ll(t), np.zeros(4), method="Nelder-Mead",
               options={"xatol": 1e-10, "fatol": 1e-10, "maxiter": 20000})
print("Pareto/NBD r, alpha, s, beta =", np.round(np.exp(fit.x), 4), "LL =", round(-fit.fun, 4))

r, alpha, s, beta = 0.55, 10.58, 0.61, 11.67
for (xi, txi, Ti) in [(0, 0, 39), (2, 30.43, 38.86), (26, 30.86, 31), (3, 20, 39)]:
    # P(alive): the lifetime tau > T against death in (t_x, T], integrating over lambda and mu.
    c = np.exp(gammaln(r + xi) - gammaln(r) + r * np.log(alpha) + s * np.log(beta))
    alive = c * (alpha + Ti) ** -(r + xi) * (beta + Ti) ** -s
    died = c * s * quad(lambda y: (alpha + y) ** -(r + xi) * (beta + y) ** -(s + 1), txi, Ti, epsabs=0, epsrel=1e-13)[0]
    p_alive = alive / (alive + died)
    # Alive at T: lambda ~ Gamma(r+x, alpha+T), mu ~ Gamma(s, beta+T); E[purchases in t] = E[lambda/mu (1 - e^(-mu t))].
    a, b = alpha + Ti, beta + Ti
    e_alive = quad(lambda u: (r + xi) / a * (b / (b + u)) ** s, 0, 39, epsabs=0, epsrel=1e-13)[0]
    none_alive = 1 - quad(lambda u: (r + xi) / a * (a / (a + u)) ** (r + xi + 1) * (b / (b + u)) ** s, 0, 39, epsabs=0, epsrel=1e-13)[0]
    print(f"x={xi} t_x={txi} T={Ti}: P(alive) {p_alive:.12f}  E[39 weeks] {p_alive * e_alive:.12f}  P(none in 39) {1 - p_alive + p_alive * none_alive:.12f}")
