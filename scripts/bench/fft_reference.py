#!/usr/bin/python3
"""Reference timings for src/bench/fft-bench.ts: numpy.fft and scipy.fft on complex64, single thread.

Usage: fft_reference.py REPEATS SHAPE [SHAPE ...]   (SHAPE like 320x320 or 15x640x368)
Prints one JSON object: {"numpy": {SHAPE: ms, "recon:SHAPE": ms}, "scipy": {...}, "versions": {...}}
where ms is the median wall time of fft2 over the last two axes, and "recon:" rows time the zero-filled
reconstruction (centred ifft2 of every coil, then root-sum-of-squares over the first axis).
A library that fails to import is reported under "missing" instead.
"""
import json
import sys
import time


def median_ms(fn, repeats, warmup=2):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2] * 1e3


def main():
    repeats = int(sys.argv[1])
    shapes = sys.argv[2:]
    out = {"missing": [], "versions": {}}
    try:
        import numpy as np
    except ImportError:
        print(json.dumps({"missing": ["numpy", "scipy"]}))
        return
    libs = {"numpy": np.fft}
    out["versions"]["numpy"] = np.__version__
    try:
        import scipy
        import scipy.fft

        libs["scipy"] = scipy.fft
        out["versions"]["scipy"] = scipy.__version__
    except ImportError:
        out["missing"].append("scipy")
    rng = np.random.default_rng(0)
    for name, lib in libs.items():
        res = {}
        for s in shapes:
            shape = tuple(int(v) for v in s.split("x"))
            x = (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(np.complex64)
            res[s] = median_ms(lambda: lib.fft2(x), repeats)
            if len(shape) == 3:

                def recon():
                    img = lib.fftshift(lib.ifft2(lib.ifftshift(x, axes=(-2, -1)), norm="ortho"), axes=(-2, -1))
                    return np.sqrt((np.abs(img) ** 2).sum(axis=0))

                res["recon:" + s] = median_ms(recon, repeats)
        out[name] = res
    print(json.dumps(out))


if __name__ == "__main__":
    main()
