"""An unmodified PyTorch training script that never seeds anything.

Its data, initial weights, batch order, dropout masks and augmentation noise (drawn in DataLoader worker processes,
from torch and from numpy) all come from global generators. It writes the trained weights and the last loss as raw
float32 bytes to the file named by its argument.
"""
import sys

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset


class NoisyLine(Dataset):
    def __init__(self, size):
        self.x = torch.randn(size, 4)
        self.y = self.x @ torch.tensor([1.0, -2.0, 0.5, 3.0])

    def __len__(self):
        return len(self.x)

    def __getitem__(self, index):
        noise = 0.01 * torch.randn(4) + float(np.random.normal(0.0, 0.01))
        return self.x[index] + noise, self.y[index]


def main(output):
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
    with open(output, "wb") as stream:
        for parameter in model.parameters():
            stream.write(parameter.detach().numpy().astype(np.float32).tobytes())
        stream.write(np.float32(loss.item()).tobytes())


if __name__ == "__main__":
    main(sys.argv[1])
