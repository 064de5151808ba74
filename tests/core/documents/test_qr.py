"""QR codes made a chunk at a time: every one reads back as its text with zxing-cpp, and
has, module for module, the symbol another encoder makes at the same mask."""

from __future__ import annotations

import io
from typing import Literal, cast

import numpy
import pytest
import qrcode
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageOps
from qrcode.util import MODE_8BIT_BYTE, QRData

from medvirk.core.documents import qr


def read(modules: numpy.ndarray) -> list[str]:
    """What a QR code says, read as a camera would: enlarged, with a quiet zone."""
    image = Image.fromarray(numpy.where(modules, 0, 255).astype(numpy.uint8))
    enlarged = image.resize((image.width * 6, image.height * 6), Image.Resampling.NEAREST)
    # Only QR codes, as a phone's QR scanner: a row of modules can pass for a 1D barcode
    # (zxing-cpp once found an ITF "4856" along a symbol's edge).
    found = zxingcpp.read_barcodes(
        ImageOps.expand(enlarged, 24, 255),
        formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode),
    )
    return [bytes(code.bytes).decode("utf-8") for code in found]


def slow_penalty(symbol: numpy.ndarray) -> int:
    """The standard's four penalty rules, written out module by module."""
    size, score = int(symbol.shape[0]), 0
    finder_like = ((1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0), (0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1))
    for grid in (symbol, symbol.T):
        for line in grid.tolist():
            run = 1
            for i in range(1, size):
                if line[i] == line[i - 1]:
                    run += 1
                    continue
                score += run - 2 if run >= 5 else 0
                run = 1
            score += run - 2 if run >= 5 else 0
            windows = [tuple(int(m) for m in line[i : i + 11]) for i in range(size - 10)]
            score += 40 * sum(window in finder_like for window in windows)
    for i in range(size - 1):
        for j in range(size - 1):
            block = {symbol[i, j], symbol[i + 1, j], symbol[i, j + 1], symbol[i + 1, j + 1]}
            score += 3 if len(block) == 1 else 0
    dark = int(symbol.sum())
    return score + 10 * (abs(dark * 20 - size * size * 10) // (size * size))


ADDRESS = "https://medvirk.drammen.kommune.no/svar/?kode="


def test_a_chunk_of_answer_addresses_reads_back_code_by_code():
    urls = [f"{ADDRESS}{i:04d}-{(i * 7919) % 10000:04d}" for i in range(200)]

    assert [read(modules) for modules in qr.encode(urls)] == [[url] for url in urls]


@pytest.mark.parametrize("length", [1, 10, 14, 26, 42, 62, 84, 106, 122, 152, 180, 213])
def test_every_version_up_to_ten_reads_back(length):
    text = ("Svar paa undersoekelsen " * 20)[:length]

    assert read(qr.encode([text])[0]) == [text]


@pytest.mark.parametrize(("length", "size"), [(14, 21), (26, 25), (55, 33), (213, 57)])
def test_the_smallest_version_that_holds_the_text_is_used(length, size):
    assert qr.encode(["x" * length])[0].shape == (size, size)


def test_texts_of_different_lengths_come_back_in_their_order():
    texts = ["kort", ADDRESS + "AAAA-BBBB", "x" * 150, "å"]

    assert [read(modules) for modules in qr.encode(texts)] == [[text] for text in texts]


def test_text_too_long_for_version_ten_is_refused():
    with pytest.raises(ValueError, match="do not fit"):
        qr.encode(["x" * 214])


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_any_text_reads_back(text):
    assert read(qr.encode([text])[0]) == [text]


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_the_penalty_is_the_standards(seed):
    symbols = numpy.random.default_rng(seed).random((3, 25, 25)) < 0.5

    assert list(qr._penalty(symbols)) == [slow_penalty(symbol) for symbol in symbols]


def test_the_mask_chosen_has_the_lowest_penalty_of_the_eight():
    (symbol,) = qr.encode([ADDRESS + "R8SG-BVT4"])
    version = qr._version(4)
    unmasked = symbol.reshape(-1)[version.order] ^ version.masks[_mask_of(symbol)]
    scores = []
    for mask in range(8):
        flat = version.template.reshape(-1).copy()
        flat[version.order] = unmasked ^ version.masks[mask]
        flat[version.format_area] = version.formats[mask, version.format_area]
        scores.append(slow_penalty(flat.reshape(symbol.shape)))

    assert scores[_mask_of(symbol)] == min(scores)


def _mask_of(symbol: numpy.ndarray) -> int:
    version = qr._version(4)
    area = version.format_area
    (mask,) = [m for m in range(8) if (symbol.reshape(-1)[area] == version.formats[m, area]).all()]
    return mask


def reference(text: str, version: int, mask: int) -> numpy.ndarray:
    """The symbol python-qrcode makes for ``text`` in byte mode, at level M and ``mask``.

    (segno, the other encoder that lets the mask be fixed, puts a zero byte too many
    before the pad codewords whenever the data ends on a codeword boundary, as byte mode
    always does: heuer/segno issue 148.)
    """
    code = qrcode.QRCode(
        version=version,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=0,
        mask_pattern=mask,
    )
    # types-qrcode declares MODE_8BIT_BYTE an int, where QRData asks for the literal 4 it is.
    code.add_data(QRData(text.encode("utf-8"), mode=cast(Literal[4], MODE_8BIT_BYTE)))
    code.make(fit=False)
    return numpy.array(code.get_matrix(), dtype=bool)


BIT_EXACT = {
    "answer address": ADDRESS + "4K7M-Q2XD-9WRT",  # version 4
    "digits": "0123456789" * 3,  # version 3
    "letters beyond ascii": "Svar på spørsmål om å bo hjemme",  # version 3
    "version 8": "x" * 150,  # version information from 7 up
    "longest": "x" * 213,  # version 10, the 16-bit count
}


@pytest.mark.parametrize("mask", range(8))
@pytest.mark.parametrize("text", BIT_EXACT.values(), ids=BIT_EXACT.keys())
def test_every_module_is_the_one_another_encoder_sets_at_the_same_mask(text, mask):
    (symbol,) = qr.encode([text], mask=mask)
    version = (symbol.shape[0] - 17) // 4

    assert (symbol == reference(text, version, mask)).all()


def test_the_png_has_one_pixel_per_module_black_where_dark():
    (symbol,) = qr.encode([ADDRESS + "4K7M-Q2XD-9WRT"])

    image = Image.open(io.BytesIO(qr.png(ADDRESS + "4K7M-Q2XD-9WRT")))

    assert image.format == "PNG"
    assert image.mode == "1"
    assert (numpy.array(image.convert("L")) == numpy.where(symbol, 0, 255)).all()
