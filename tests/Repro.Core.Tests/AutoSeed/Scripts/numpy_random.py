"""Draws from every generator a script may use without seeding: random, set order, numpy's global generator and
numpy.random.default_rng() without a seed; and from default_rng(5), which the hook must leave alone."""
import random

import numpy as np

print("random", repr(random.random()), random.randint(0, 10 ** 9))
print("set", list({"alpha", "beta", "gamma", "delta", "epsilon", "zeta"}))
print("numpy", np.random.rand(3).tolist(), np.random.randint(0, 10 ** 9))
first = np.random.default_rng()
second = np.random.default_rng()
print("default_rng", repr(first.random()), repr(second.random()))
print("default_rng(5)", repr(np.random.default_rng(5).random()))
