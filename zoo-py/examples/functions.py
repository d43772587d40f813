"""Test problems of ZOOpt's examples, written with numpy for this project (the set-cover
weights and subsets and the sonar data are ZOOpt's / UCI's data)."""

import os

import numpy as np


def ackley(solution):
    """Ackley with bias 0.2 (minimum 0 at x = 0.2)."""
    x = np.asarray(solution.get_x(), dtype=float) - 0.2
    return float(-20.0 * np.exp(-0.2 * np.sqrt(np.mean(x * x))) - np.exp(np.mean(np.cos(2 * np.pi * x)))
                 + 20.0 + np.e)


def sphere(solution):
    """Sphere with bias 0.2."""
    x = np.asarray(solution.get_x(), dtype=float) - 0.2
    return float(np.dot(x, x))


def sphere_mixed(solution):
    """Sphere around the origin for mixed spaces."""
    x = np.asarray(solution.get_x(), dtype=float)
    return float(np.dot(x, x))


def ackley_noise_creator(mu, sigma):
    """Ackley plus one N(mu, sigma^2) draw per call, from numpy's global generator."""
    def noisy(solution):
        return ackley(solution) + float(np.random.normal(mu, sigma))
    return noisy


def sphere_sre(solution):
    """Only the first 10 coordinates matter much: sum(z[:10]^2) + sum(z[10:]^2) / D."""
    x = np.asarray(solution.get_x(), dtype=float) - 0.2
    head, tail = x[:10], x[10:]
    return float(np.dot(head, head) + np.dot(tail, tail) / x.size)


# Weighted set cover (ZOOpt's instance): 20 candidate subsets of a 30-element universe.
SET_COVER_WEIGHTS = [0.8356, 0.5495, 0.4444, 0.7269, 0.9960, 0.6633, 0.5062, 0.8429, 0.1293, 0.7355,
                     0.7979, 0.2814, 0.7962, 0.1754, 0.0267, 0.9862, 0.1786, 0.5884, 0.6289, 0.3008]
_SUBSETS = """
010001010011001110100110100100 000100110101100110001010111100
101000101100100001111011111000 001101110011001111100100100010 111011000010000101111001001111
001101110011111110111001000000 010010000100000100010010111100 001000011010011111010110111000
001101010110111001001101000010 011100101010111010001100011001 001110110011111000110001010100
001001000011011100110111100011 100011011110100101110011000111 100101111111110010011110101001
000000111100011101000000100101 100010010001111010110100010110 100010010100101111110101000101
011011110101000001101111100001 011011000110110011000010000110 001111011100101001010100010011
"""
SET_COVER_SUBSETS = np.array([[c == "1" for c in row] for row in _SUBSETS.split()])


def set_cover(solution):
    """Total weight of the chosen subsets, plus the sum of all weights when they do not
    cover the 30 elements."""
    chosen = np.asarray(solution.get_x()) > 0.5
    weight = float(np.dot(SET_COVER_WEIGHTS, chosen))
    if not SET_COVER_SUBSETS[chosen].any(axis=0).all():
        weight += float(np.sum(SET_COVER_WEIGHTS))
    return weight


def sonar_path():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(here, "..", "..", "zoo-subset", "data", "sonar.arff")


def load_arff(path):
    """Numeric attributes as a matrix, and the last (nominal) attribute's labels."""
    rows, in_data = [], False
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("%"):
                continue
            if line.lower().startswith("@data"):
                in_data = True
            elif in_data:
                rows.append(line.split(","))
    x = np.array([[float(v) for v in r[:-1]] for r in rows])
    labels = [r[-1].strip() for r in rows]
    return x, labels


class SparseMSE:
    """Sparse regression: mean squared error of least squares on the chosen columns, columns
    and target standardised (sonar: Rock = 0, Mine = 1)."""

    def __init__(self, path=None, k=8):
        x, labels = load_arff(path or sonar_path())
        y = np.array([1.0 if lab.strip("'") == "Mine" else 0.0 for lab in labels])
        self._x = (x - x.mean(axis=0)) / x.std(axis=0)
        self._y = (y - y.mean()) / y.std()
        self._k = k

    def get_sparsity(self):
        return self._k

    def get_size(self):
        return self._x.shape[1]

    def loss(self, solution):
        """MSE on the chosen columns; +inf for no column, or for 2k or more (never worth
        fitting)."""
        chosen = np.flatnonzero(np.asarray(solution.get_x()) > 0.5)
        if chosen.size == 0 or chosen.size >= 2 * self._k:
            return float("inf")
        a = self._x[:, chosen]
        coef, *_ = np.linalg.lstsq(a, self._y, rcond=None)
        r = self._y - a @ coef
        return float(np.mean(r * r))

    def constraint(self, solution):
        """k minus the number of chosen columns: feasible when >= 0."""
        return self._k - int(np.sum(np.asarray(solution.get_x()) > 0.5))
