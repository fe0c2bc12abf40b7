"""Reference values for heavy buyers (x in the hundreds), computed at 50 significant digits with mpmath
straight from FHL 2005 eq. 10 and the P(alive) formula, without any log-space or Euler tricks. These
are the figures test/shared/clv.test.ts checks its double-precision results against. Run by hand:
python3 test/crosscheck/heavy_buyers_mpmath.py (needs mpmath)."""
from mpmath import mp, mpf, hyp2f1, beta, gamma, log

mp.dps = 50
r, alpha, a, b = mpf("0.243"), mpf("4.414"), mpf("0.793"), mpf("2.426")  # FHL 2005 CDNOW estimates


def p_alive(x, tx, T):
    if x == 0:
        return mpf(1)
    return 1 / (1 + (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x))


def expected(t, x, tx, T):
    z = t / (alpha + T + t)
    first = (a + b + x - 1) / (a - 1)
    second = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z)
    return first * second * p_alive(x, tx, T)


def loglik(x, tx, T):
    a1 = beta(a, b + x) / beta(a, b) * gamma(r + x) * alpha ** r / (gamma(r) * (alpha + T) ** (r + x))
    a2 = beta(a + 1, b + x - 1) / beta(a, b) * gamma(r + x) * alpha ** r / (gamma(r) * (alpha + tx) ** (r + x)) if x > 0 else 0
    return log(a1 + a2)


for x, tx, T, t in [(400, 38, 39, 39), (500, 36.5, 39, 52), (300, 20, 39, 39), (2, 30.43, 38.86, 39)]:
    print(f"x={x} t_x={tx} T={T} t={t}: P(alive)={mp.nstr(p_alive(x, tx, T), 17)} "
          f"E={mp.nstr(expected(t, x, mpf(tx), mpf(T)), 17)} LL={mp.nstr(loglik(x, mpf(tx), mpf(T)), 17)}")
