"""An unmodified training script that never seeds anything: every number comes from a global generator.

It writes outputs/model.bin (a small PyTorch model trained on data, initial weights, batch order, dropout masks and
DataLoader-worker noise all drawn from torch's and numpy's global generators, as raw float32 bytes) and
outputs/draws.json (numpy's legacy global generator, default_rng() without a seed, random, the iteration order of a
set of strings, and what the workers of a multiprocessing pool drew).
"""
import json
import multiprocessing
import os
import random

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

STATIONS = ["Union Station", "Dupont Circle", "Logan Circle", "Thomas Circle", "Eastern Market", "Anacostia",
            "Rosslyn", "Ballston", "Court House", "Crystal City", "Lincoln Memorial", "Georgetown"]

_barrier = None


def initialize(barrier):
    global _barrier
    _barrier = barrier


def draw(_):
    # The barrier makes each worker take exactly one task, so the set of results does not depend on the scheduler.
    values = [random.random(), float(np.random.rand()), float(np.random.default_rng().random())]
    _barrier.wait(timeout=120)
    return values


class NoisyLine(Dataset):
    def __init__(self, size):
        self.x = torch.randn(size, 4)
        self.y = self.x @ torch.tensor([1.0, -2.0, 0.5, 3.0])

    def __len__(self):
        return len(self.x)

    def __getitem__(self, index):
        noise = 0.01 * torch.randn(4) + float(np.random.normal(0.0, 0.01))
        return self.x[index] + noise, self.y[index]


def train(path):
    model = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(), torch.nn.Dropout(0.2), torch.nn.Linear(16, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loader = DataLoader(NoisyLine(128), batch_size=16, shuffle=True, num_workers=2)
    loss = torch.zeros(())
    for _ in range(2):
        for x, y in loader:
            optimizer.zero_grad()
            loss = ((model(x).squeeze(1) - y) ** 2).mean()
            loss.backward()
            optimizer.step()
    with open(path, "wb") as stream:
        for parameter in model.parameters():
            stream.write(parameter.detach().numpy().astype(np.float32).tobytes())
        stream.write(np.float32(loss.item()).tobytes())


def main():
    os.makedirs("outputs", exist_ok=True)
    barrier = multiprocessing.Barrier(3)
    with multiprocessing.Pool(3, initializer=initialize, initargs=(barrier,)) as pool:
        workers = sorted(pool.map(draw, range(3), chunksize=1))
    draws = {
        "numpy": np.random.rand(3).tolist(),
        "default_rng": np.random.default_rng().random(3).tolist(),
        "random": [random.random() for _ in range(3)],
        "set_order": list(set(STATIONS)),
        "pool": workers,
        "user_sitecustomize": os.environ.get("USER_SITECUSTOMIZE"),
    }
    with open("outputs/draws.json", "w", encoding="utf-8", newline="\n") as stream:
        json.dump(draws, stream, indent=2)
        stream.write("\n")
    train("outputs/model.bin")


if __name__ == "__main__":
    main()
