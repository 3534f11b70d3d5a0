"""What numpy_random.py must print under the hook for the seed given as argument, computed from the documented rules:
the first process of a run seeds random and numpy's global generator with the run seed itself, and the n-th
default_rng() without a seed is default_rng(SeedSequence(run seed).spawn(n + 1)[n])."""
import random
import sys

import numpy as np

seed = int(sys.argv[1])
random.seed(seed)
print("random", repr(random.random()), random.randint(0, 10 ** 9))
np.random.seed(seed)
print("numpy", np.random.rand(3).tolist(), np.random.randint(0, 10 ** 9))
children = np.random.SeedSequence(seed).spawn(2)
print("default_rng", repr(np.random.default_rng(children[0]).random()), repr(np.random.default_rng(children[1]).random()))
print("default_rng(5)", repr(np.random.default_rng(5).random()))
