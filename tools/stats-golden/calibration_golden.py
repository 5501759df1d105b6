"""Golden cases for calibration (isotonic, Platt), calibration error, ROC AUC and CBPE.

Imported by generate.py. Every case stores its data explicitly (scores, outcomes, probabilities);
they are drawn from their own random.Random stream so the older sections of stats.json do not move.

NannyML cannot be installed here, so the CBPE and sampling-error values are computed below with
numpy from the formulas NannyML publishes (nannyml/performance_estimation/confidence_based/metrics.py,
nannyml/sampling_error/{binary,multiclass}_classification.py, nannyml/calibration.py), re-stated
in our own code.
"""
import math
import random

import numpy as np
from scipy import stats
from scipy.special import expit
from sklearn import metrics
from sklearn.calibration import _sigmoid_calibration
from sklearn.isotonic import IsotonicRegression


def _scores(rng, n, kind):
    if kind == 'continuous':  # six decimals keep the file small; ties stay rare
        return [round(rng.random(), 6) for _ in range(n)]
    if kind == 'tied':  # multiples of 1/16: many exact ties
        return [rng.randrange(17) / 16 for _ in range(n)]
    if kind == 'winning':  # a binary model's winning probability, in [0.5, 1]
        return [round(0.5 + 0.5 * rng.random() ** 0.7, 6) for _ in range(n)]
    if kind == 'near_ties':  # values 2^-52 apart: closer than numpy's float64 resolution (1e-15)
        base = [rng.randrange(8) / 8 + 0.125 for _ in range(n)]
        return [b + rng.randrange(3) * 2.0 ** -52 for b in base]
    raise ValueError(kind)


def _outcomes(rng, scores, skew):
    # Miscalibrated on purpose: the chance of a positive outcome is score ** skew.
    return [1 if rng.random() < s ** skew else 0 for s in scores]


def _queries(x):
    lo, hi = min(x), max(x)
    grid = [lo - 0.25, lo, hi, hi + 0.25, -1.0, 2.0, 0.0, 1.0]
    grid += [lo + (hi - lo) * i / 37 for i in range(38)]
    grid += sorted(set(x))[:20]
    return [float(q) for q in grid]


def isotonic_cases(rng):
    cases = []
    for kind in ('continuous', 'tied', 'winning', 'near_ties'):
        for n in (1, 2, 3, 7, 50, 500, 2000):
            x = _scores(rng, n, kind)
            y = _outcomes(rng, x, rng.choice([0.5, 1.0, 2.0]))
            cases.append(_isotonic_case(kind, x, y))
    # Non-binary targets exercise pooling on arbitrary values.
    for n in (10, 200):
        x = _scores(rng, n, 'tied')
        y = [rng.random() for _ in range(n)]
        cases.append(_isotonic_case('real_targets', x, y))
    # Decreasing data pools to one constant block.
    x = [i / 10 for i in range(10)]
    cases.append(_isotonic_case('decreasing', x, [1 - v for v in x]))
    return cases


def _isotonic_case(kind, x, y):
    model = IsotonicRegression(out_of_bounds='clip', increasing=True).fit(np.array(x), np.array(y, float))
    queries = _queries(x)
    return {'kind': kind, 'scores': x, 'outcomes': y,
            'thresholds': model.X_thresholds_.tolist(), 'values': model.y_thresholds_.tolist(),
            'queries': queries, 'predictions': model.predict(np.array(queries)).tolist()}


def _platt_targets(y):
    y = np.asarray(y, float)
    prior0 = float(np.sum(y <= 0))
    prior1 = y.shape[0] - prior0
    return np.where(y > 0, (prior1 + 1.0) / (prior1 + 2.0), 1.0 / (prior0 + 2.0))


def _platt_optimum(f, y, a, b):
    """Newton's method on scikit-learn's objective from its BFGS answer until the step vanishes."""
    f = np.asarray(f, float)
    t = _platt_targets(y)
    for _ in range(100):
        p = expit(-(a * f + b))
        d2 = p * (1 - p)
        g = np.array([np.dot(t - p, f), np.sum(t - p)])
        h = np.array([[np.dot(f * f, d2), np.dot(f, d2)], [np.dot(f, d2), np.sum(d2)]])
        step = np.linalg.solve(h, -g)
        a, b = a + step[0], b + step[1]
        if abs(step[0]) <= 1e-15 * max(1, abs(a)) and abs(step[1]) <= 1e-15 * max(1, abs(b)):
            break
    return float(a), float(b)


def platt_cases(rng):
    cases = []
    for kind in ('continuous', 'tied', 'winning'):
        for n in (5, 30, 200, 1000, 2000):
            x = _scores(rng, n, kind)
            y = _outcomes(rng, x, rng.choice([0.3, 1.0, 3.0]))
            if len(set(y)) < 2 or len(set(x)) < 2:
                continue
            a_sk, b_sk = _sigmoid_calibration(np.array(x), np.array(y))
            a, b = _platt_optimum(x, y, float(a_sk), float(b_sk))
            queries = _queries(x)
            cases.append({'kind': kind, 'scores': x, 'outcomes': y,
                          'sklearn_a': float(a_sk), 'sklearn_b': float(b_sk), 'a': a, 'b': b,
                          'queries': queries,
                          'sklearn_predictions': expit(-(a_sk * np.array(queries) + b_sk)).tolist(),
                          'predictions': expit(-(a * np.array(queries) + b)).tolist()})
    # Perfectly separated outcomes: the smoothed targets keep A and B finite.
    x = [i / 20 for i in range(21)]
    y = [1 if v > 0.5 else 0 for v in x]
    a_sk, b_sk = _sigmoid_calibration(np.array(x), np.array(y))
    a, b = _platt_optimum(x, y, float(a_sk), float(b_sk))
    queries = _queries(x)
    cases.append({'kind': 'separated', 'scores': x, 'outcomes': y, 'sklearn_a': float(a_sk), 'sklearn_b': float(b_sk),
                  'a': a, 'b': b, 'queries': queries,
                  'sklearn_predictions': expit(-(a_sk * np.array(queries) + b_sk)).tolist(),
                  'predictions': expit(-(a * np.array(queries) + b)).tolist()})
    return cases


def ece_equal_width(scores, outcomes, bins):
    """sklearn.calibration.calibration_curve(strategy='uniform') binning, weighted |rate - mean score|."""
    p = np.asarray(scores, float)
    y = np.asarray(outcomes, float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    ids = np.searchsorted(edges[1:-1], p)
    total = np.bincount(ids, minlength=bins)
    sums = np.bincount(ids, weights=p, minlength=bins)
    trues = np.bincount(ids, weights=y, minlength=bins)
    terms = np.zeros(bins)
    nz = total > 0
    terms[nz] = total[nz] / len(p) * np.abs(trues[nz] / total[nz] - sums[nz] / total[nz])
    return float(np.sum(terms))


def ece_equal_count(scores, outcomes, bins):
    """NannyML's _get_bin_index_edges + _calculate_expected_calibration_error (stable sort on ties)."""
    n = len(scores)
    if n <= 2 * bins:
        bins = n // 2
    width = n // bins
    edges = np.asarray(range(0, n + 1, width))
    edges[-1] = n
    p = np.asarray(scores, float)
    y = np.asarray(outcomes, float)
    order = p.argsort(kind='stable')
    p, y = p[order], y[order]
    terms = [(r - l) / n * abs(np.mean(p[l:r]) - np.mean(y[l:r])) for l, r in zip(edges[:-1], edges[1:])]
    return float(np.sum(terms))


def ece_cases(rng):
    cases = []
    for kind in ('continuous', 'tied', 'winning'):
        for n in (7, 25, 100, 1000, 2000):
            x = _scores(rng, n, kind)
            y = _outcomes(rng, x, rng.choice([0.5, 1.0, 2.0]))
            cases.append({'kind': kind, 'scores': x, 'outcomes': y, 'bins': [10, 5, 15],
                          'equal_width': [ece_equal_width(x, y, b) for b in (10, 5, 15)],
                          'equal_count': [ece_equal_count(x, y, b) for b in (10, 5, 15)]})
    # Scores sitting exactly on bin edges (0.1, 0.2, ... as linspace builds them) and at 0 and 1.
    x = [i / 10 for i in range(11)] * 3 + list(np.linspace(0, 1, 11))
    y = [rng.randrange(2) for _ in x]
    cases.append({'kind': 'edges', 'scores': [float(v) for v in x], 'outcomes': y, 'bins': [10],
                  'equal_width': [ece_equal_width(x, y, 10)], 'equal_count': [ece_equal_count(x, y, 10)]})
    return cases


def roc_cases(rng):
    cases = []
    for kind in ('continuous', 'tied'):
        for n in (2, 10, 300, 1000):
            x = _scores(rng, n, kind)
            y = _outcomes(rng, x, 1.0)
            if len(set(y)) < 2:
                y[0], y[-1] = 0, 1
            cases.append({'scores': x, 'outcomes': y, 'auc': float(metrics.roc_auc_score(y, x))})
    return cases


# --- CBPE -----------------------------------------------------------------------------------------

def _components_binary(y_true, y_pred):
    """NannyML's binary sampling-error components for the positive label (1)."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    tp = np.where((y_true == y_pred) & (y_pred == 1), 1, np.nan)
    fp = np.where((y_true != y_pred) & (y_pred == 1), 0, np.nan)
    fn = np.where((y_true != y_pred) & (y_pred == 0), 0, np.nan)
    tp, fp, fn = tp[~np.isnan(tp)], fp[~np.isnan(fp)], fn[~np.isnan(fn)]
    precision = np.concatenate([tp, fp])
    recall = np.concatenate([tp, fn])
    f1 = np.concatenate([tp, fn, fp])
    correcting = len(f1) / ((len(fn) + len(fp)) * 0.5 + len(tp))
    n = len(y_pred)
    return {'precision': (float(np.std(precision)), float(np.sum(y_pred) / n)),
            'recall': (float(np.std(recall)), float(np.sum(y_true) / n)),
            'f1': (float(np.std(f1 * correcting)), float(len(f1) / n))}


def _components_multiclass(y_true, y_pred):
    """NannyML's multiclass components for one label (binarized): variance, fraction."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    tp = np.where((y_true == y_pred) & (y_pred == 1), 1, np.nan)
    fp = np.where((y_true != y_pred) & (y_pred == 1), 0, np.nan)
    fn = np.where((y_true != y_pred) & (y_pred == 0), 0, np.nan)
    tp, fp, fn = tp[~np.isnan(tp)], fp[~np.isnan(fp)], fn[~np.isnan(fn)]
    n = len(y_pred)
    return {'precision': (float(np.sqrt(np.var(np.concatenate([tp, fp])))), float(np.sum(y_pred) / n)),
            'recall': (float(np.sqrt(np.var(np.concatenate([tp, fn])))), float(np.sum(y_true) / n)),
            'f1': (float(np.sqrt(np.var(np.concatenate([tp, fn, fp])))), float(len(np.concatenate([tp, fn, fp])) / n))}


def _estimate_counts(y_pred_k, proba_k):
    """NannyML's estimate_precision / estimate_recall / estimate_f1 for one label (one-vs-rest)."""
    y_pred_k, proba_k = np.asarray(y_pred_k), np.asarray(proba_k)
    tp = np.sum(np.where(y_pred_k == 1, proba_k, 0))
    fp = np.sum(np.where(y_pred_k == 1, 1 - proba_k, 0))
    fn = np.sum(np.where(y_pred_k == 0, proba_k, 0))
    precision = tp / (tp + fp) if tp + fp != 0 else 0
    recall = tp / (tp + fn) if tp + fn != 0 else 0
    f1 = tp / (tp + 0.5 * (fp + fn)) if tp + 0.5 * (fp + fn) != 0 else 0
    return float(precision), float(recall), float(f1)


def _probability_vectors(rng, n, k, sharpness):
    rows = []
    for _ in range(n):
        raw = [rng.random() ** sharpness for _ in range(k)]
        total = sum(raw)
        rows.append([v / total for v in raw])
    return rows


def _rounded_vectors(rng, n, k, sharpness):
    """Probability vectors with entries on a 1/1024 grid (short in JSON) that still sum to exactly 1."""
    rows = []
    for row in _probability_vectors(rng, n, k, sharpness):
        ticks = [int(v * 1024) for v in row]
        ticks[int(np.argmax(ticks))] += 1024 - sum(ticks)
        rows.append([t / 1024 for t in ticks])
    return rows


def cbpe_cases(rng):
    z = float(stats.norm.ppf(0.975))
    cases = []
    for k, n_ref, n_win in ((2, 800, 120), (2, 3000, 1000), (3, 1500, 300), (4, 2000, 77), (5, 500, 1)):
        # Reference: predictions with their true labels (mostly right, so every label is predicted).
        ref_pred = [rng.randrange(k) for _ in range(n_ref)]
        ref_true = [p if rng.random() < 0.8 else rng.randrange(k) for p in ref_pred]
        # Window: calibrated probability vectors; the prediction is the argmax (ties: first).
        probs = _rounded_vectors(rng, n_win, k, 3.0)
        pred = [int(np.argmax(row)) for row in probs]
        p = np.asarray(probs)
        pred_arr = np.asarray(pred)

        if k == 2:
            # Binary CBPE on P(label 1), as NannyML; each label is the positive one in turn.
            proba1 = p[:, 1]
            tp = np.where(pred_arr == 1, proba1, 0)
            tn = np.where(pred_arr == 0, 1 - proba1, 0)
            accuracy = float((np.sum(tp) + np.sum(tn)) / len(pred_arr))
            components = []
            for label in range(k):
                yt = [1 if t == label else 0 for t in ref_true]
                yp = [1 if q == label else 0 for q in ref_pred]
                components.append(_components_binary(yt, yp))
        else:
            onehot = np.eye(k)[pred_arr]
            accuracy = float(np.mean(np.max(onehot * p, axis=1)))
            components = []
            for label in range(k):
                yt = [1 if t == label else 0 for t in ref_true]
                yp = [1 if q == label else 0 for q in ref_pred]
                components.append(_components_multiclass(yt, yp))
        correct = (np.asarray(ref_true) == np.asarray(ref_pred)).astype(int)
        accuracy_std = float(np.std(correct))

        per_label = []
        for label in range(k):
            precision, recall, f1 = _estimate_counts((pred_arr == label).astype(int), p[:, label])
            errors = {m: components[label][m][0] / math.sqrt(n_win * components[label][m][1]) for m in ('precision', 'recall', 'f1')}
            per_label.append({'precision': precision, 'recall': recall, 'f1': f1,
                              'precision_se': errors['precision'], 'recall_se': errors['recall'], 'f1_se': errors['f1'],
                              'support': float(np.sum(p[:, label])), 'components': components[label]})

        def average(metric, weights):
            values = np.array([row[metric] for row in per_label])
            ses = np.array([row[metric + '_se'] for row in per_label])
            w = np.ones(k) if weights is None else np.asarray(weights)
            value = float(np.sum(w * values) / np.sum(w))
            # Macro: NannyML's sqrt(sum(var_k / (n f_k))) / K; weighted: the same with support weights.
            se = float(np.sqrt(np.sum((w * ses) ** 2)) / np.sum(w))
            return {'value': value, 'se': se, 'lower': max(0.0, value - z * se), 'upper': min(1.0, value + z * se)}

        support = [row['support'] for row in per_label]
        confusion = [[float(np.sum(np.where(pred_arr == col, p[:, row], 0))) for col in range(k)] for row in range(k)]
        accuracy_se = accuracy_std / math.sqrt(n_win)
        cases.append({
            'labels': k, 'reference_true': ref_true, 'reference_pred': ref_pred,
            'probabilities': probs, 'predicted': pred, 'z': z,
            'accuracy_std': accuracy_std,
            'accuracy': {'value': accuracy, 'se': accuracy_se, 'lower': max(0.0, accuracy - z * accuracy_se), 'upper': min(1.0, accuracy + z * accuracy_se)},
            'per_label': per_label,
            'macro': {m: average(m, None) for m in ('precision', 'recall', 'f1')},
            'weighted': {m: average(m, support) for m in ('precision', 'recall', 'f1')},
            'confusion': confusion,
        })
    return cases


def all_cases(seed=20261201):
    rng = random.Random(seed)
    return {
        'isotonic': isotonic_cases(rng),
        'platt': platt_cases(rng),
        'ece': ece_cases(rng),
        'roc_auc': roc_cases(rng),
        'cbpe': cbpe_cases(rng),
    }
