"""A script that seeds torch itself, after the hook has: its own seed must win."""
import torch

torch.manual_seed(7)
print(torch.rand(3).tolist())
