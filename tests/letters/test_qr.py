"""QR codes made a chunk at a time: every one reads back as its text with zxing-cpp."""

from __future__ import annotations

import numpy
import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageOps

from medvirk.letters import qr


def read(modules: numpy.ndarray) -> list[str]:
    """What a QR code says, read as a camera would: enlarged, with a quiet zone."""
    image = Image.fromarray(numpy.where(modules, 0, 255).astype(numpy.uint8))
    enlarged = image.resize((image.width * 6, image.height * 6), Image.Resampling.NEAREST)
    found = zxingcpp.read_barcodes(ImageOps.expand(enlarged, 24, 255))
    return [bytes(code.bytes).decode("utf-8") for code in found]


def slow_penalty(symbol: numpy.ndarray) -> int:
    """The standard's four penalty rules, written out module by module."""
    size, score = symbol.shape[0], 0
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
