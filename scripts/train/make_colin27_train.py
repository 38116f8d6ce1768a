#!/usr/bin/python3
"""Training volumes for the bundled U-Net, from Colin27 ONLY (mricron-data ch2better.nii.gz, BSD-3).

Writes fastMRI-layout multi-coil .h5 files (4 simulated coils, 192 × 160, the same simulation as the
demo scan: scripts/make_demo_data.py, whose helpers are imported) into OUT_DIR. Slices at the demo
scan's six z positions (and ±2 mm around them) are left out, so the demo file stays a held-out test set.
The package's other brains (inia19, …) are never read: they are unseen test data.

usage: /usr/bin/python3 scripts/train/make_colin27_train.py OUT_DIR [--volumes 6]
Deterministic (fixed seeds). Needs numpy and h5py (Debian: python3-numpy python3-h5py).
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import make_demo_data as demo  # noqa: E402  (read_nifti, pad_to, coil_maps, fft2c, constants)

DEMO_OFFSETS = list(demo.SLICE_OFFSETS)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--volumes", type=int, default=6)
    ap.add_argument("--step", type=int, default=3, help="z step between training slices (0.5 mm voxels)")
    a = ap.parse_args()
    vol = demo.read_nifti(demo.SRC)
    mid = vol.shape[0] // 2
    offsets = [d for d in range(-96, 97, a.step) if all(abs(d - k) > 4 for k in DEMO_OFFSETS)]
    groups = np.array_split(np.array(offsets), a.volumes)
    rng = np.random.RandomState(20260101)  # one stream across volumes: the bundled model's data

    def axial(z):
        s = vol[z][::-1]
        h, w = s.shape[0] // 2 * 2, s.shape[1] // 2 * 2
        return s[:h, :w].reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3))

    for v, group in enumerate(groups):
        imgs = np.stack([demo.pad_to(axial(mid + int(d)), demo.ROWS, demo.COLS) for d in group])
        kspace, rss = demo.simulate(imgs, rng)
        demo.write_fastmri(
            os.path.join(a.out, "colin27_train_%02d.h5" % v),
            kspace,
            rss,
            "AXT1 (Colin27 training volume, simulated 4-coil)",
            "colin27",
            "Colin27 T1 (mricron-data), z offsets %s; scripts/train/make_colin27_train.py" % list(map(int, group)),
            compress=False,
        )


if __name__ == "__main__":
    sys.exit(main())
