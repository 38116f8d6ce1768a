#!/usr/bin/python3
"""PyTorch reference timings for `mri-recon bench unet`: the fastMRI U-Net architecture (conv 3×3 no bias →
InstanceNorm2d → LeakyReLU 0.2, avg-pool down, 2×2 stride-2 transposed conv up, 1×1 head), written here
from its description (same layer shapes and parameter counts as fastmri/models/unet.py), timed for
inference (no_grad) and one training step (forward, L1 loss, backward, Adam step).

usage: /usr/bin/python3 scripts/bench/unet_torch.py JSON_CASES THREADS REPEATS
  JSON_CASES: [{"name": ..., "chans": 32, "pools": 4, "size": 320}, ...]
prints {"torch": version, "threads": n, "results": {name: {"infer_ms": .., "train_ms": .., "params": ..}}}
"""
import json
import sys
import time

import torch
from torch import nn
from torch.nn import functional as F


def block(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.InstanceNorm2d(cout), nn.LeakyReLU(0.2),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.InstanceNorm2d(cout), nn.LeakyReLU(0.2),
    )


class Unet(nn.Module):
    def __init__(self, chans, pools):
        super().__init__()
        self.down = nn.ModuleList([block(1, chans)] + [block(chans * 2 ** i, chans * 2 ** (i + 1)) for i in range(pools - 1)])
        self.mid = block(chans * 2 ** (pools - 1), chans * 2 ** pools)
        self.ups, self.convs = nn.ModuleList(), nn.ModuleList()
        for i in range(pools):
            ch = chans * 2 ** (pools - 1 - i)
            self.ups.append(nn.Sequential(nn.ConvTranspose2d(ch * 2, ch, 2, stride=2, bias=False), nn.InstanceNorm2d(ch), nn.LeakyReLU(0.2)))
            self.convs.append(block(ch * 2, ch))
        self.head = nn.Conv2d(chans, 1, 1)

    def forward(self, x):
        stack = []
        for d in self.down:
            x = d(x)
            stack.append(x)
            x = F.avg_pool2d(x, 2)
        x = self.mid(x)
        for up, conv in zip(self.ups, self.convs):
            skip = stack.pop()
            x = up(x)
            pad = [0, int(x.shape[-1] != skip.shape[-1]), 0, int(x.shape[-2] != skip.shape[-2])]
            if sum(pad):
                x = F.pad(x, pad, "reflect")
            x = conv(torch.cat([x, skip], 1))
        return self.head(x)


def median_ms(fn, repeats, warmup=1):
    for _ in range(warmup):
        fn()
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t0) * 1000)
    ts.sort()
    return ts[len(ts) // 2]


def main():
    cases = json.loads(sys.argv[1])
    threads = int(sys.argv[2])
    repeats = int(sys.argv[3])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    out = {}
    for c in cases:
        model = Unet(c["chans"], c["pools"])
        x = torch.randn(1, 1, c["size"], c["size"])
        y = torch.randn(1, 1, c["size"], c["size"])
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)

        def infer():
            with torch.no_grad():
                model.eval()
                model(x)

        def train():
            model.train()
            opt.zero_grad()
            F.l1_loss(model(x), y).backward()
            opt.step()

        out[c["name"]] = {
            "infer_ms": median_ms(infer, repeats),
            "train_ms": median_ms(train, repeats),
            "params": sum(p.numel() for p in model.parameters()),
        }
    print(json.dumps({"torch": torch.__version__, "threads": threads, "results": out}))


if __name__ == "__main__":
    sys.exit(main())
