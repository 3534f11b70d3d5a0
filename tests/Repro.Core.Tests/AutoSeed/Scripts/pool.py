"""A multiprocessing pool whose workers draw numbers, under the start method given as argument.

A barrier makes each of the three workers take exactly one task, so the set of results does not depend on how the
pool hands out tasks; they are printed sorted.
"""
import multiprocessing
import random
import sys

import numpy as np

_barrier = None


def initialize(barrier):
    global _barrier
    _barrier = barrier


def draw(_):
    values = (repr(random.random()), repr(float(np.random.rand())), repr(float(np.random.default_rng().random())))
    _barrier.wait(timeout=120)
    return values


if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1])
    barrier = context.Barrier(3)
    pool = context.Pool(3, initializer=initialize, initargs=(barrier,))
    results = pool.map(draw, range(3), chunksize=1)
    pool.close()
    pool.join()
    for result in sorted(results):
        print(" ".join(result))
