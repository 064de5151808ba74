"""QR codes for a print: Medvirk's encoder (core/documents/qr.py), a chunk of 500 answer
addresses at a time as a print makes them, against zxing-cpp making the same codes one at a
time; and the PNG images the letters carry.

Each figure is the best of five runs, per code. No database, no Django.
"""

from __future__ import annotations

import timeit
from collections.abc import Callable

import zxingcpp

from bench import Figure
from medvirk.core.documents import qr

NAME = "qr_codes"
CHUNK = 500  # as letters/render.py typesets them
ADDRESSES = [
    f"https://medvirk.drammen.kommune.no/svar/?kode=4K7M-Q2XD-{number:04d}"
    for number in range(CHUNK)
]


def _microseconds_per_code(job: Callable[[], object]) -> float:
    return min(timeit.repeat(job, number=1, repeat=5)) / CHUNK * 1e6


def _zxing() -> None:
    for address in ADDRESSES:
        zxingcpp.create_barcode(address, zxingcpp.BarcodeFormat.QRCode, ec_level="M")


def run() -> list[Figure]:
    qr.encode(ADDRESSES[:1])  # the version's tables are made once per process
    medvirk = _microseconds_per_code(lambda: qr.encode(ADDRESSES))
    zxing = _microseconds_per_code(_zxing)
    pngs = _microseconds_per_code(lambda: qr.pngs(ADDRESSES))
    return [
        Figure(NAME, "Medvirk, a chunk of 500 together", medvirk, "µs/code"),
        Figure(NAME, "zxing-cpp, one at a time", zxing, "µs/code"),
        Figure(NAME, "Medvirk against zxing-cpp", zxing / medvirk, "×"),
        Figure(NAME, "Medvirk with the PNG image", pngs, "µs/code"),
    ]
