#!/usr/bin/python3
"""Builds the bundled demo scan assets/demo/colin27_demo.h5 from Debian's mricron-data.

Source: Colin27 T1 (ch2better.nii.gz, BSD-3, /usr/share/mricron/templates). Six axial slices (in-plane 2×2 block mean: 1 mm pixels),
simulated 4-coil acquisition (smooth ring sensitivities, smooth background phase, complex Gaussian
noise (σ = 0.15% of the k-space peak), written in fastMRI's multi-coil layout: kspace
(slices, coils, rows, cols) complex64, reconstruction_rss (slices, rows, cols) float32, ismrmrd_header
XML and the attributes fastMRI files carry. Deterministic: fixed seeds. Needs numpy and h5py
(Debian: python3-numpy python3-h5py).

Only Colin27 is used here; the package's other brains (inia19, …) stay out as unseen test data.
"""
import gzip
import os
import struct
import sys

import h5py
import numpy as np

SRC = "/usr/share/mricron/templates/ch2better.nii.gz"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "assets", "demo", "colin27_demo.h5")
ROWS, COLS, COILS = 192, 160, 4
SLICE_OFFSETS = range(-25, 26, 10)  # 6 axial slices around the middle, 5 mm apart (0.5 mm voxels)


def read_nifti(path):
    raw = gzip.open(path).read()
    (sizeof_hdr,) = struct.unpack("<i", raw[:4])
    assert sizeof_hdr == 348, "expected a little-endian NIfTI-1 file"
    dims = struct.unpack("<8h", raw[40:56])
    datatype = struct.unpack("<h", raw[70:72])[0]
    vox_offset = int(struct.unpack("<f", raw[108:112])[0])
    slope, inter = struct.unpack("<2f", raw[112:120])
    dtypes = {2: np.uint8, 4: np.int16, 8: np.int32, 16: np.float32, 64: np.float64, 512: np.uint16}
    n = dims[1] * dims[2] * dims[3]
    vol = np.frombuffer(raw, dtype=dtypes[datatype], count=n, offset=vox_offset).astype(np.float32)
    vol = vol.reshape(dims[3], dims[2], dims[1])  # NIfTI is x fastest: array[z, y, x]
    if slope not in (0.0, 1.0) or inter != 0.0:
        vol = vol * (slope or 1.0) + inter
    return vol


def pad_to(img, rows, cols):
    out = np.zeros((rows, cols), dtype=np.float32)
    h, w = img.shape
    sh, sw = min(h, rows), min(w, cols)
    src = img[(h - sh) // 2:(h - sh) // 2 + sh, (w - sw) // 2:(w - sw) // 2 + sw]
    out[(rows - sh) // 2:(rows - sh) // 2 + sh, (cols - sw) // 2:(cols - sw) // 2 + sw] = src
    return out


def coil_maps(ncoil, rows, cols):
    y, x = np.mgrid[0:rows, 0:cols].astype(np.float32)
    y, x = y / rows - 0.5, x / cols - 0.5
    maps = np.zeros((ncoil, rows, cols), dtype=np.complex64)
    for c in range(ncoil):
        a = 2 * np.pi * c / ncoil + np.pi / 4
        cx, cy = 0.6 * np.cos(a), 0.6 * np.sin(a)
        mag = np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * 0.4 ** 2))
        maps[c] = mag * np.exp(1j * (a + 1.5 * (x * np.cos(a) + y * np.sin(a))))
    return maps / np.sqrt(np.sum(np.abs(maps) ** 2, axis=0)).max()


def fft2c(x):
    return np.fft.fftshift(np.fft.fft2(np.fft.ifftshift(x, axes=(-2, -1)), norm="ortho"), axes=(-2, -1))


def simulate(imgs, rng):
    """Magnitude slices (n, ROWS, COLS) → (noisy 4-coil k-space complex64, its RSS image float32).
    rng: a numpy RandomState (phases, then noise, are drawn from it in that order)."""
    imgs = imgs / imgs.max()
    yy, xx = np.mgrid[0:ROWS, 0:COLS] / np.array([ROWS, COLS])[:, None, None] - 0.5
    phase = np.stack([0.7 * rng.randn() * xx + 0.7 * rng.randn() * yy + 0.5 * rng.randn() * xx * yy for _ in imgs])
    cplx = (imgs * np.exp(1j * phase)).astype(np.complex64)
    maps = coil_maps(COILS, ROWS, COLS)
    coil_imgs = cplx[:, None] * maps[None]
    kspace = fft2c(coil_imgs).astype(np.complex64)
    sigma = 0.0015 * np.abs(kspace).max() / np.sqrt(2)
    kspace += (sigma * (rng.randn(*kspace.shape) + 1j * rng.randn(*kspace.shape))).astype(np.complex64)
    scale = 1e-3  # fastMRI-like magnitudes
    kspace *= scale
    coil_noisy = np.fft.fftshift(np.fft.ifft2(np.fft.ifftshift(kspace, axes=(-2, -1)), norm="ortho"), axes=(-2, -1))
    rss = np.sqrt(np.sum(np.abs(coil_noisy) ** 2, axis=1)).astype(np.float32)
    return kspace, rss


def write_fastmri(out, kspace, rss, protocol, patient_id, source, compress=True):
    """fastMRI multi-coil layout, written atomically (temp file + rename); gzip-compressed unless compress=False."""
    header = (
        '<?xml version="1.0"?><ismrmrdHeader xmlns="http://www.ismrm.org/ISMRMRD">'
        "<measurementInformation><protocolName>%s</protocolName></measurementInformation>"
        "<encoding><encodedSpace><matrixSize><x>%d</x><y>%d</y><z>1</z></matrixSize>"
        "<fieldOfView_mm><x>%d</x><y>%d</y><z>5</z></fieldOfView_mm></encodedSpace>"
        "<reconSpace><matrixSize><x>%d</x><y>%d</y><z>1</z></matrixSize>"
        "<fieldOfView_mm><x>%d</x><y>%d</y><z>5</z></fieldOfView_mm></reconSpace>"
        "<trajectory>cartesian</trajectory></encoding></ismrmrdHeader>"
    ) % (protocol, ROWS, COLS, ROWS, COLS, ROWS, COLS, ROWS, COLS)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    tmp = out + ".tmp"
    with h5py.File(tmp, "w") as f:
        gz = dict(compression="gzip", shuffle=True) if compress else {}
        f.create_dataset("kspace", data=kspace, chunks=(1, 1, ROWS, COLS), **(dict(gz, compression_opts=9) if compress else {}))
        f.create_dataset("reconstruction_rss", data=rss, chunks=(1, ROWS, COLS), **gz)
        f.create_dataset("ismrmrd_header", data=np.bytes_(header))
        f.attrs["acquisition"] = "AXT1"
        f.attrs["max"] = float(rss.max())
        f.attrs["norm"] = float(np.linalg.norm(rss))
        f.attrs["patient_id"] = patient_id
        f.attrs["source"] = source
    os.replace(tmp, out)
    print("wrote", out, os.path.getsize(out), "bytes", kspace.shape)


def main():
    vol = read_nifti(SRC)  # (z, y, x) = (316, 370, 301) at 0.5 mm
    mid = vol.shape[0] // 2

    def axial(z):
        s = vol[z][::-1]  # anterior at the top
        h, w = s.shape[0] // 2 * 2, s.shape[1] // 2 * 2
        return s[:h, :w].reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3))

    imgs = np.stack([pad_to(axial(mid + d), ROWS, COLS) for d in SLICE_OFFSETS])
    kspace, rss = simulate(imgs, np.random.RandomState(20261127))
    write_fastmri(
        OUT,
        kspace,
        rss,
        "AXT1 (Colin27 demo, simulated 4-coil)",
        "colin27",
        "Colin27 T1 (mricron-data ch2better.nii.gz, BSD-3); simulated by scripts/make_demo_data.py",
    )


if __name__ == "__main__":
    sys.exit(main())
