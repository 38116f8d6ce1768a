#!/usr/bin/python3
"""Reference timing for the recon bench: the zero-filled pipeline in numpy on a fastMRI file
(read k-space, mask columns, centred ifft2 per coil, root-sum-of-squares). Prints {"ms": median}."""
import json
import sys
import time

import h5py
import numpy as np


def run(path):
    with h5py.File(path, "r") as f:
        k = f["kspace"][()]
    w = k.shape[-1]
    mask = np.random.RandomState(0).rand(w) < 0.25
    k = k * mask
    img = np.fft.fftshift(np.fft.ifft2(np.fft.ifftshift(k, axes=(-2, -1)), norm="ortho"), axes=(-2, -1))
    return np.sqrt((np.abs(img) ** 2).sum(axis=1 if k.ndim == 4 else 0))


path, repeats = sys.argv[1], int(sys.argv[2])
run(path)
times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    run(path)
    times.append((time.perf_counter() - t0) * 1000)
print(json.dumps({"ms": sorted(times)[len(times) // 2]}))
