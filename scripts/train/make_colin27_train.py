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

import h5py
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
    rows, cols, ncoil = demo.ROWS, demo.COLS, demo.COILS
    maps = demo.coil_maps(ncoil, rows, cols)
    rng = np.random.RandomState(20260101)
    os.makedirs(a.out, exist_ok=True)

    def axial(z):
        s = vol[z][::-1]
        h, w = s.shape[0] // 2 * 2, s.shape[1] // 2 * 2
        return s[:h, :w].reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3))

    for v, group in enumerate(groups):
        imgs = np.stack([demo.pad_to(axial(mid + int(d)), rows, cols) for d in group])
        imgs /= imgs.max()
        yy, xx = np.mgrid[0:rows, 0:cols] / np.array([rows, cols])[:, None, None] - 0.5
        phase = np.stack([0.7 * rng.randn() * xx + 0.7 * rng.randn() * yy + 0.5 * rng.randn() * xx * yy for _ in imgs])
        cplx = (imgs * np.exp(1j * phase)).astype(np.complex64)
        kspace = demo.fft2c(cplx[:, None] * maps[None]).astype(np.complex64)
        sigma = 0.0015 * np.abs(kspace).max() / np.sqrt(2)
        kspace += (sigma * (rng.randn(*kspace.shape) + 1j * rng.randn(*kspace.shape))).astype(np.complex64)
        kspace *= 1e-3
        coil = np.fft.fftshift(np.fft.ifft2(np.fft.ifftshift(kspace, axes=(-2, -1)), norm="ortho"), axes=(-2, -1))
        rss = np.sqrt(np.sum(np.abs(coil) ** 2, axis=1)).astype(np.float32)
        header = (
            '<?xml version="1.0"?><ismrmrdHeader xmlns="http://www.ismrm.org/ISMRMRD"><encoding>'
            "<encodedSpace><matrixSize><x>%d</x><y>%d</y><z>1</z></matrixSize><fieldOfView_mm><x>%d</x><y>%d</y><z>5</z></fieldOfView_mm></encodedSpace>"
            "<reconSpace><matrixSize><x>%d</x><y>%d</y><z>1</z></matrixSize><fieldOfView_mm><x>%d</x><y>%d</y><z>5</z></fieldOfView_mm></reconSpace>"
            "<trajectory>cartesian</trajectory></encoding></ismrmrdHeader>"
        ) % (rows, cols, rows, cols, rows, cols, rows, cols)
        path = os.path.join(a.out, "colin27_train_%02d.h5" % v)
        with h5py.File(path + ".tmp", "w") as f:
            f.create_dataset("kspace", data=kspace, chunks=(1, 1, rows, cols))
            f.create_dataset("reconstruction_rss", data=rss, chunks=(1, rows, cols))
            f.create_dataset("ismrmrd_header", data=np.bytes_(header))
            f.attrs["acquisition"] = "AXT1"
            f.attrs["max"] = float(rss.max())
            f.attrs["norm"] = float(np.linalg.norm(rss))
            f.attrs["patient_id"] = "colin27"
            f.attrs["source"] = "Colin27 T1 (mricron-data), z offsets %s; scripts/train/make_colin27_train.py" % list(map(int, group))
        os.replace(path + ".tmp", path)
        print("wrote", path, kspace.shape)


if __name__ == "__main__":
    sys.exit(main())
