#!/usr/bin/python3
"""Python PyTorch reference for bench.ts: the engine's default U-Net, training step and Grad-CAM, written
the ordinary PyTorch way (NCHW tensors, nn.ConvTranspose2d, default allocator and OpenMP settings).

Run by bench.ts with Debian's /usr/bin/python3 (python3-torch, the same LibTorch 1.13 library the
engine links). It reads one JSON request per line on stdin and answers one JSON line on stdout:

  {"op": "load", "checkpoint": path, "data": path, "count": N, "channels": C, "size": S, "depth": D, "base": B}
      builds the U-Net, loads the weights of an engine checkpoint (same module names) and N uint8 images
  {"op": "train", "batch": B, "seed": s, "learningRate": lr}
      one epoch over the N images with a fresh Adam, in the engine's batch order
  {"op": "gradcam", "batch": B, "count": M}
      Grad-CAM of the per-image MSE loss at enc1 (abs), score = max, for the first M images
  {"op": "matmul", "n": n, "repeats": r}
      the fastest of r float32 n x n matrix products (the machine's matrix-product peak)
"""
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

MASK64 = (1 << 64) - 1


class ConvBlock(nn.Module):
    """conv3x3 - batch norm - ReLU, twice; no conv bias before batch norm (as the engine)."""

    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False)
        self.norm1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.norm2 = nn.BatchNorm2d(out_channels)

    def forward(self, x):
        x = F.relu(self.norm1(self.conv1(x)))
        return F.relu(self.norm2(self.conv2(x)))


class UNet(nn.Module):
    """The engine's default U-Net (native/README.md, "The model"), with the engine's module names."""

    def __init__(self, channels, depth, base):
        super().__init__()
        self.depth = depth
        width = lambda level: base << (level - 1)
        previous = channels
        for level in range(1, depth + 1):
            setattr(self, f"enc{level}", ConvBlock(previous, width(level)))
            previous = width(level)
        self.bottleneck = ConvBlock(previous, width(depth + 1))
        for level in range(1, depth + 1):
            setattr(self, f"up{level}", nn.ConvTranspose2d(width(level + 1), width(level), 2, stride=2))
            setattr(self, f"dec{level}", ConvBlock(2 * width(level), width(level)))
        self.head = nn.Conv2d(width(1), channels, 1)

    def encode(self, x):
        features = []
        for level in range(1, self.depth + 1):
            x = getattr(self, f"enc{level}")(x)
            features.append(x)
            x = F.max_pool2d(x, 2)
        return features, self.bottleneck(x)

    def decode(self, features, bottleneck):
        y = bottleneck
        for level in range(self.depth, 0, -1):
            y = getattr(self, f"up{level}")(y)
            y = torch.cat([y, features[level - 1]], 1)
            y = getattr(self, f"dec{level}")(y)
        return torch.sigmoid(self.head(y))


def per_image_mse(reconstruction, x):
    return (reconstruction - x).pow(2).mean((1, 2, 3))


def split_mix64(x):
    x = (x + 0x9E3779B97F4A7C15) & MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK64
    return x ^ (x >> 31)


def epoch_order(count, seed, epoch):
    """The engine's shuffle (trainer.cpp EpochOrder): SplitMix64 + Fisher-Yates from (seed, epoch)."""
    order = list(range(count))
    state = split_mix64(seed ^ split_mix64((epoch + 0x632BE59BD9B4E019) & MASK64))
    for i in range(count - 1, 0, -1):
        state = split_mix64(state)
        j = state % (i + 1)
        order[i], order[j] = order[j], order[i]
    return torch.tensor(order, dtype=torch.int64)


class Reference:
    def __init__(self):
        self.model = None
        self.images = None

    def load(self, request):
        self.model = UNet(request["channels"], request["depth"], request["base"])
        # The engine's checkpoint is a TorchScript archive: its "model" entries carry the weights.
        archive = torch.jit.load(request["checkpoint"])
        state = {name[len("model."):]: value for name, value in archive.named_parameters() if name.startswith("model.")}
        state.update({name[len("model."):]: value for name, value in archive.named_buffers() if name.startswith("model.")})
        self.model.load_state_dict(state, strict=True)  # every name and shape must match
        shape = (request["count"], request["channels"], request["size"], request["size"])
        self.images = torch.from_numpy(np.fromfile(request["data"], dtype=np.uint8).reshape(shape))
        return {
            "parameters": sum(p.numel() for p in self.model.parameters()),
            "threads": torch.get_num_threads(),
            "torch": torch.__version__,
        }

    def train(self, request):
        model, batch = self.model, request["batch"]
        model.train()
        optimizer = torch.optim.Adam(model.parameters(), lr=request["learningRate"])
        order = epoch_order(self.images.shape[0], request["seed"], 0)
        losses = []
        start = time.perf_counter()
        for step in range(self.images.shape[0] // batch):
            x = self.images.index_select(0, order[step * batch:(step + 1) * batch]).float().div_(255)
            optimizer.zero_grad()
            features, bottleneck = model.encode(x)
            loss = per_image_mse(model.decode(features, bottleneck), x).mean()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        return {"seconds": time.perf_counter() - start, "losses": losses}

    def gradcam(self, request):
        model, batch, count = self.model, request["batch"], request["count"]
        model.eval()
        scores, losses, maps, reconstructions = [], [], [], []
        start = time.perf_counter()
        for first in range(0, count, batch):
            x = self.images[first:min(count, first + batch)].float().div_(255)
            features, bottleneck = model.encode(x)
            reconstruction = model.decode(features, bottleneck)
            loss = per_image_mse(reconstruction, x)
            activation = features[0]  # enc1: full resolution, no upsampling needed
            gradient, = torch.autograd.grad(loss.sum(), activation)
            weights = gradient.mean((2, 3), keepdim=True)
            cam = (weights * activation).sum(1).abs().detach()
            maps.append(cam.numpy())
            reconstructions.append(reconstruction.detach().numpy())
            scores.extend(cam.flatten(1).max(1).values.tolist())
            losses.extend(loss.detach().tolist())
        return {"seconds": time.perf_counter() - start, "scores": scores, "losses": losses}

    def matmul(self, request):
        n = request["n"]
        generator = torch.Generator().manual_seed(0)
        a = torch.rand(n, n, generator=generator)
        b = torch.rand(n, n, generator=generator)
        torch.mm(a, b)
        best = float("inf")
        for _ in range(request["repeats"]):
            start = time.perf_counter()
            torch.mm(a, b)
            best = min(best, time.perf_counter() - start)
        return {"seconds": best, "gflops": 2 * n**3 / best / 1e9}


def main():
    # Python PyTorch starts with one intra-op thread here, as LibTorch does: use every core we may.
    torch.set_num_threads(len(os.sched_getaffinity(0)))
    reference = Reference()
    for line in sys.stdin:
        request = json.loads(line)
        try:
            answer = getattr(reference, request["op"])(request)
        except Exception as error:  # reported to bench.ts, which stops with it
            answer = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
