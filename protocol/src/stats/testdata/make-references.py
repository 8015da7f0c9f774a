#!/usr/bin/env python3
"""Reference values for protocol/src/stats, computed with scipy and numpy.

Run from the repository root:  python3 protocol/src/stats/testdata/make-references.py
It writes references.json beside itself; the tests compare against it to 1e-6 and need no scipy.

scipy gives Mann-Whitney U (method='auto', two-sided, continuity), Welch's t (ttest_ind,
equal_var=False), the t and normal distributions, and np.percentile (linear). Hodges-Lehmann,
Cliff's delta, Holm and the seeded bootstrap have no scipy function: they are computed here from
their textbook definitions with numpy, independently of the TypeScript code.
"""
import csv
import json
import math
import os
import sys

import numpy as np
import scipy
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..', '..'))


def llmperf_ttft_ms(provider):
    path = os.path.join(ROOT, 'tests', 'fixtures', 'latency', f'llmperf-leaderboard__{provider}_70b.csv')
    with open(path) as f:
        return [float(r['ttft_s']) * 1000 for r in csv.DictReader(f) if r['error_code'] == '']


rng = np.random.default_rng(20261203)


def r6(xs):
    # Rounded inputs, so the JSON holds exactly what both sides compute on.
    return [round(float(x), 6) for x in xs]


samples = {
    'small_exact': (r6(rng.lognormal(5, 0.3, 6)), r6(rng.lognormal(5.2, 0.3, 7))),
    'one_side_small': (r6(rng.lognormal(5, 0.3, 4)), r6(rng.lognormal(5.1, 0.3, 40))),
    'small_ties': ([120, 130, 130, 140, 150, 150, 160], [125, 130, 150, 150, 170, 180, 190, 200]),
    'large_continuous': (r6(rng.lognormal(5, 0.25, 120)), r6(rng.lognormal(5.1, 0.25, 150))),
    'large_ties': ([float(x) for x in rng.integers(100, 140, 200)], [float(x) for x in rng.integers(104, 146, 180)]),
    'aa_same_distribution': (r6(rng.gamma(9, 20, 300)), r6(rng.gamma(9, 20, 300))),
    'shift_15pct': (r6(rng.lognormal(math.log(200), 0.2, 200)), r6(rng.lognormal(math.log(230), 0.2, 200))),
    'llmperf_groq_vs_together_ttft': (r6(llmperf_ttft_ms('groq')), r6(llmperf_ttft_ms('together'))),
    'identical': ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]),
}


def hodges_lehmann(a, b, alpha=0.05):
    a = np.sort(np.asarray(a))
    b = np.sort(np.asarray(b))
    d = np.sort((b[:, None] - a[None, :]).ravel())
    m, n = len(a), len(b)
    mn = m * n
    k = max(1, math.floor(mn / 2 - stats.norm.ppf(1 - alpha / 2) * math.sqrt(mn * (m + n + 1) / 12)))
    return {'shift': float(np.median(d)), 'ci': [float(d[k - 1]), float(d[mn - k])]}


def cliffs_delta(a, b):
    a = np.asarray(a)[:, None]
    b = np.asarray(b)[None, :]
    return float(((b > a).sum() - (b < a).sum()) / (a.size * b.size))


def holm(p):
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    out = [0.0] * m
    prev = 0.0
    for rank, i in enumerate(order):
        prev = max(prev, min(1.0, (m - rank) * p[i]))
        out[i] = prev
    return out


class Mulberry32:
    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def __call__(self):
        self.state = (self.state + 0x6D2B79F5) & 0xFFFFFFFF
        t = self.state

        def imul(x, y):
            return (x * y) & 0xFFFFFFFF

        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296


def bootstrap_ci(x, q, seed, resamples=2000, alpha=0.05):
    u = Mulberry32(seed)
    x = np.asarray(x)
    n = len(x)
    stat = []
    for _ in range(resamples):
        idx = [math.floor(u() * n) for _ in range(n)]
        stat.append(np.percentile(x[idx], q * 100))
    return [float(np.percentile(stat, alpha / 2 * 100)), float(np.percentile(stat, (1 - alpha / 2) * 100))]


pairs = []
for name, (a, b) in samples.items():
    mw = stats.mannwhitneyu(a, b, alternative='two-sided')
    w = stats.ttest_ind(a, b, equal_var=False)
    ties = len(set(a + b)) < len(a + b)
    method = 'asymptotic' if (len(a) > 8 and len(b) > 8) or ties else 'exact'
    pairs.append({
        'name': name, 'a': a, 'b': b,
        'mann_whitney': {'u': float(mw.statistic), 'p': float(mw.pvalue), 'method': method},
        'welch': None if not np.isfinite(w.statistic) else {'t': float(w.statistic), 'df': float(w.df), 'p': float(w.pvalue)},
        'hodges_lehmann': hodges_lehmann(a, b),
        'cliffs_delta': cliffs_delta(a, b),
        'percentiles_a': {f'p{int(q)}': float(np.percentile(a, q)) for q in (50, 90, 95, 99)} | {'mean': float(np.mean(a))},
    })

family = [p['mann_whitney']['p'] for p in pairs]
distributions = {
    't_sf': [{'t': t, 'df': df, 'sf': float(stats.t.sf(t, df))} for t in (-3.2, -0.5, 0.0, 0.7, 1.96, 2.5, 4.0, 8.0) for df in (1, 2.5, 7, 30.7, 250.3, 5000)],
    'norm_sf': [{'z': z, 'sf': float(stats.norm.sf(z))} for z in (-5, -2.5, -1, 0, 0.3, 1.644854, 1.96, 3, 6, 9)],
    'norm_ppf': [{'p': p, 'ppf': float(stats.norm.ppf(p))} for p in (1e-10, 1e-4, 0.01, 0.025, 0.2, 0.5, 0.8, 0.975, 0.999, 1 - 1e-9)],
}
boot_x = samples['large_continuous'][0]
bootstrap = [{'q': q, 'seed': seed, 'resamples': 400, 'ci': bootstrap_ci(boot_x, q, seed, resamples=400)} for q, seed in ((0.5, 7), (0.95, 7), (0.99, 123456789))]

out = {
    'generator': f'make-references.py with scipy {scipy.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}',
    'pairs': pairs,
    'holm': {'p': family, 'adjusted': holm(family)},
    'distributions': distributions,
    'bootstrap': {'x': boot_x, 'cases': bootstrap},
}
with open(os.path.join(HERE, 'references.json'), 'w') as f:
    json.dump(out, f, indent=1)
    f.write('\n')
print(f'wrote {len(pairs)} pairs')
