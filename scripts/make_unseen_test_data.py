#!/usr/bin/python3
"""Unseen test scan for the learned methods: test/fixtures/unseen/inia19_t1_test.h5.

Source: the INIA19 macaque T1 template (mricron-data inia19-t1-brain.nii.gz, 0.5 mm), a brain the
bundled U-Net never saw: training and tuning use Colin27 only (scripts/make_demo_data.py,
scripts/train/). Three axial slices 5 mm apart around the middle, at the template's own 0.5 mm pixels
(centre-cropped to the demo's 192 × 160 matrix), simulated exactly as the demo scan (4 coils, smooth
phase, complex Gaussian noise), with its own seed. Deterministic. Needs numpy and h5py.
"""
import os
import sys

import numpy as np

import make_demo_data as demo

SRC = "/usr/share/mricron/templates/inia19-t1-brain.nii.gz"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "unseen", "inia19_t1_test.h5")


def main():
    vol = demo.read_nifti(SRC)  # (z, y, x) = (128, 206, 168) at 0.5 mm
    mid = vol.shape[0] // 2
    imgs = np.stack([demo.pad_to(vol[mid + d][::-1], demo.ROWS, demo.COLS) for d in (-10, 0, 10)])
    kspace, rss = demo.simulate(imgs, np.random.RandomState(19))
    demo.write_fastmri(
        OUT,
        kspace,
        rss,
        "AXT1 (INIA19 macaque template, simulated 4-coil; unseen test data)",
        "inia19",
        "INIA19 T1 (mricron-data inia19-t1-brain.nii.gz); simulated by scripts/make_unseen_test_data.py",
    )


if __name__ == "__main__":
    sys.exit(main())
