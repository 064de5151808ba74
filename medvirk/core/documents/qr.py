"""QR codes for many letters at once (ISO/IEC 18004, byte mode, error correction level M).

A print of 10,000 letters needs 10,000 QR codes that differ only in their last characters.
A general encoder spends most of its time on each code trying the eight masks; here a whole
chunk of codes of one version is encoded together with numpy: the Reed–Solomon division,
the placement of the modules and the choice of mask (the standard's four penalty rules)
each run once over all of them. `make bench` (bench/qr_codes.py) measured it on a shared
2-core machine at 0.13–0.3 ms a code for a chunk of 500 answer addresses (quiet to busy),
two to three times as fast as zxing-cpp making them one at a time in the same run. The
tests read every code back with zxing-cpp and compare every module with python-qrcode's
symbol at the same mask.

Versions 1–10 cover any answer address a letter prints (up to 213 bytes); longer text
raises ValueError. No Django here.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy
from PIL import Image

# Level M: (error correction codewords per block, [(blocks, data codewords per block), ...])
_BLOCKS: dict[int, tuple[int, tuple[tuple[int, int], ...]]] = {
    1: (10, ((1, 16),)),
    2: (16, ((1, 28),)),
    3: (26, ((1, 44),)),
    4: (18, ((2, 32),)),
    5: (24, ((2, 43),)),
    6: (16, ((4, 27),)),
    7: (18, ((4, 31),)),
    8: (22, ((2, 38), (2, 39))),
    9: (22, ((3, 36), (2, 37))),
    10: (26, ((4, 43), (1, 44))),
}
_ALIGNMENT: dict[int, tuple[int, ...]] = {
    1: (),
    2: (6, 18),
    3: (6, 22),
    4: (6, 26),
    5: (6, 30),
    6: (6, 34),
    7: (6, 22, 38),
    8: (6, 24, 42),
    9: (6, 26, 46),
    10: (6, 28, 50),
}
_LEVEL_M = 0b00


@dataclass(frozen=True)
class _Version:
    number: int
    size: int
    data_codewords: int
    ec_per_block: int
    blocks: tuple[int, ...]  # data codewords of each block, in order
    template: numpy.ndarray  # the function patterns (True dark), size × size
    order: numpy.ndarray  # flat indexes of the data modules, in placement order
    masks: numpy.ndarray  # (8, len(order)) bool: which data modules each mask flips
    formats: numpy.ndarray  # (8, size * size) bool: the format (and version) modules per mask
    format_area: numpy.ndarray  # flat indexes of the format and version modules


def encode(texts: Sequence[str], *, mask: int | None = None) -> list[numpy.ndarray]:
    """QR codes for ``texts`` as boolean module matrices (True dark), without quiet zone.

    Each gets the mask the standard's penalty rules choose, or ``mask`` (0–7) where given:
    the tests compare the modules with another encoder's at a fixed mask.
    """
    payloads = [text.encode("utf-8") for text in texts]
    result: list[numpy.ndarray | None] = [None] * len(payloads)
    by_version: dict[int, list[int]] = {}
    for index, payload in enumerate(payloads):
        by_version.setdefault(_version_for(len(payload)), []).append(index)
    for number, indexes in by_version.items():
        matrices = _encode_version(_version(number), [payloads[i] for i in indexes], mask)
        for index, matrix in zip(indexes, matrices, strict=True):
            result[index] = matrix
    return [matrix for matrix in result if matrix is not None]


def svg(text: str) -> str:
    """The QR code for ``text`` as a small SVG: one path, one rectangle per run of dark modules.

    (For screens; letters use PNG images, which Typst draws faster.)
    """
    (modules,) = encode([text])
    height, width = modules.shape
    runs = []
    for y in range(height):
        row = modules[y]
        x = 0
        while x < width:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < width and row[x]:
                x += 1
            runs.append(f"M{start} {y}h{x - start}v1h{start - x}z")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'shape-rendering="crispEdges"><path d="{"".join(runs)}"/></svg>'
    )


def png(text: str) -> bytes:
    """The QR code for ``text`` as a 1-bit PNG, one pixel per module (drawn without smoothing)."""
    return pngs([text])[0]


def pngs(texts: Sequence[str]) -> list[bytes]:
    """QR codes as 1-bit PNGs, encoded together (a print makes one per letter)."""
    return [_png(modules) for modules in encode(texts)]


def _png(dark: numpy.ndarray) -> bytes:
    height, width = dark.shape
    # Mode "1" is 1-bit greyscale, a set bit light; packed rows are what it reads.
    image = Image.frombytes("1", (width, height), numpy.packbits(~dark, axis=1).tobytes())
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _version_for(length: int) -> int:
    for number in _BLOCKS:
        count_bits = 8 if number < 10 else 16
        if 4 + count_bits + 8 * length <= 8 * _version(number).data_codewords:
            return number
    raise ValueError(f"{length} bytes do not fit a QR code of version 1–10 at level M")


# --- Reed–Solomon over GF(256) with the polynomial x^8 + x^4 + x^3 + x^2 + 1 ------------

_EXP = numpy.zeros(512, dtype=numpy.int32)
_LOG = numpy.zeros(256, dtype=numpy.int32)
_value = 1
for _power in range(255):
    _EXP[_power] = _value
    _LOG[_value] = _power
    _value <<= 1
    if _value & 0x100:
        _value ^= 0x11D
_EXP[255:510] = _EXP[0:255]


@cache
def _generator(degree: int) -> tuple[int, ...]:
    """The generator polynomial's coefficients after the leading 1, highest power first."""
    poly = [1]
    for i in range(degree):
        factor = int(_EXP[i])
        nxt = [0] * (len(poly) + 1)
        for j, coefficient in enumerate(poly):
            nxt[j] ^= coefficient
            if coefficient:
                nxt[j + 1] ^= int(_EXP[(int(_LOG[coefficient]) + int(_LOG[factor])) % 255])
        poly = nxt
    return tuple(poly[1:])


def _error_correction(data: numpy.ndarray, degree: int) -> numpy.ndarray:
    """The remainders of many blocks at once: data is (codes, k), the result (codes, degree)."""
    generator = _generator(degree)
    remainder = numpy.zeros((data.shape[0], degree), dtype=numpy.int32)
    for column in range(data.shape[1]):
        factor = data[:, column] ^ remainder[:, 0]
        remainder[:, :-1] = remainder[:, 1:]
        remainder[:, -1] = 0
        nonzero = factor != 0
        log_factor = _LOG[factor]
        for j, coefficient in enumerate(generator):
            if coefficient:
                term = _EXP[log_factor + int(_LOG[coefficient])]
                remainder[:, j] ^= numpy.where(nonzero, term, 0)
    return remainder


# --- the symbol ------------------------------------------------------------------------


@cache
def _version(number: int) -> _Version:
    ec, groups = _BLOCKS[number]
    blocks = tuple(k for count, k in groups for _ in range(count))
    size = 17 + 4 * number
    dark, function = _function_patterns(number, size)
    cells = _format_cells(size) + (_version_cells(size) if number >= 7 else [])
    for y, x in cells:
        function[y, x] = True
    order = _placement_order(function)
    return _Version(
        number=number,
        size=size,
        data_codewords=sum(blocks),
        ec_per_block=ec,
        blocks=blocks,
        template=dark,
        order=order,
        masks=_masks(order, size),
        formats=_formats(number, size),
        format_area=numpy.array([y * size + x for y, x in cells], dtype=numpy.int64),
    )


def _function_patterns(number: int, size: int) -> tuple[numpy.ndarray, numpy.ndarray]:
    """The finder, timing and alignment patterns and the dark module: (dark, function).

    ``function`` marks every module that holds no data; the format and version modules
    are added to it by the caller.
    """
    dark = numpy.zeros((size, size), dtype=bool)
    function = numpy.zeros((size, size), dtype=bool)
    for row, col in ((0, 0), (0, size - 7), (size - 7, 0)):
        for r in range(-1, 8):
            for c in range(-1, 8):
                y, x = row + r, col + c
                if 0 <= y < size and 0 <= x < size:
                    function[y, x] = True
                    ring = max(abs(r - 3), abs(c - 3))
                    dark[y, x] = ring != 2 and ring <= 3
    for i in range(8, size - 8):
        function[6, i] = function[i, 6] = True
        dark[6, i] = dark[i, 6] = i % 2 == 0
    centres = _ALIGNMENT[number]
    first, last = (centres[0], centres[-1]) if centres else (0, 0)
    corners = {(first, first), (first, last), (last, first)}
    for row in centres:
        for col in centres:
            if (row, col) in corners:
                continue  # where the finder patterns are (over the timing pattern is fine)
            for r in range(-2, 3):
                for c in range(-2, 3):
                    function[row + r, col + c] = True
                    dark[row + r, col + c] = max(abs(r), abs(c)) != 1
    dark[size - 8, 8] = function[size - 8, 8] = True  # the dark module
    return dark, function


def _placement_order(function: numpy.ndarray) -> numpy.ndarray:
    """Flat indexes of the data modules in the order the bits go in: two columns at a time
    from the right, up and down in turn, around the function patterns."""
    size = function.shape[0]
    order = []
    upward = True
    col = size - 1
    while col > 0:
        if col == 6:
            col -= 1  # the vertical timing pattern
        rows = range(size - 1, -1, -1) if upward else range(size)
        for row in rows:
            for c in (col, col - 1):
                if not function[row, c]:
                    order.append(row * size + c)
        upward = not upward
        col -= 2
    return numpy.array(order, dtype=numpy.int64)


def _masks(order: numpy.ndarray, size: int) -> numpy.ndarray:
    """(8, len(order)) bool: which data modules each of the eight masks flips."""
    rows, cols = numpy.divmod(order, size)
    return numpy.stack(
        [
            (rows + cols) % 2 == 0,
            rows % 2 == 0,
            cols % 3 == 0,
            (rows + cols) % 3 == 0,
            (rows // 2 + cols // 3) % 2 == 0,
            (rows * cols) % 2 + (rows * cols) % 3 == 0,
            ((rows * cols) % 2 + (rows * cols) % 3) % 2 == 0,
            ((rows + cols) % 2 + (rows * cols) % 3) % 2 == 0,
        ]
    )


def _formats(number: int, size: int) -> numpy.ndarray:
    """(8, size * size) bool: the format (and version) modules' colours with each mask."""
    formats = numpy.zeros((8, size * size), dtype=bool)
    for mask in range(8):
        bits = _format_bits(mask)
        for (y, x), bit in zip(_format_cells(size), bits + bits, strict=True):
            formats[mask, y * size + x] = bit
        if number >= 7:
            for (y, x), bit in zip(_version_cells(size), _version_bits(number), strict=True):
                formats[mask, y * size + x] = bit
    return formats


def _format_cells(size: int) -> list[tuple[int, int]]:
    """The 15 format modules twice: around the top-left finder, then split over the others.

    Bit 14 (most significant) first in each copy.
    """
    first = [(8, c) for c in (0, 1, 2, 3, 4, 5, 7, 8)] + [(r, 8) for r in (7, 5, 4, 3, 2, 1, 0)]
    second = [(size - 1 - i, 8) for i in range(7)] + [(8, size - 8 + i) for i in range(8)]
    return first + second


def _format_bits(mask: int) -> list[bool]:
    data = (_LEVEL_M << 3) | mask
    value = data << 10
    for shift in range(4, -1, -1):
        if value & (1 << (shift + 10)):
            value ^= 0x537 << shift
    word = ((data << 10) | value) ^ 0x5412
    return [bool(word >> (14 - i) & 1) for i in range(15)]


def _version_cells(size: int) -> list[tuple[int, int]]:
    """The 18 version modules twice (versions 7 and up), least significant bit first."""
    lower_left = [(size - 11 + i % 3, i // 3) for i in range(18)]
    upper_right = [(i // 3, size - 11 + i % 3) for i in range(18)]
    return lower_left + upper_right


def _version_bits(number: int) -> list[bool]:
    value = number << 12
    for shift in range(5, -1, -1):
        if value & (1 << (shift + 12)):
            value ^= 0x1F25 << shift
    word = (number << 12) | value
    bits = [bool(word >> i & 1) for i in range(18)]
    return bits + bits


def _codewords(version: _Version, payloads: Sequence[bytes]) -> numpy.ndarray:
    """Data codewords of every payload: mode, length, the bytes, terminator and padding.

    Payloads of one length (a print's addresses nearly always have one) are done together.
    """
    count_bits = 8 if version.number < 10 else 16
    capacity = version.data_codewords
    out = numpy.zeros((len(payloads), capacity), dtype=numpy.uint8)
    by_length: dict[int, list[int]] = {}
    for row, payload in enumerate(payloads):
        by_length.setdefault(len(payload), []).append(row)
    for length, rows in by_length.items():
        header = [0, 1, 0, 0] + [length >> (count_bits - 1 - i) & 1 for i in range(count_bits)]
        data = numpy.frombuffer(b"".join(payloads[row] for row in rows), dtype=numpy.uint8)
        bits = numpy.unpackbits(data.reshape(len(rows), length), axis=1)
        used = len(header) + bits.shape[1]
        terminator = min(4, 8 * capacity - used)
        fill = (-(used + terminator)) % 8
        stream = numpy.hstack(
            [
                numpy.broadcast_to(
                    numpy.array(header, dtype=numpy.uint8), (len(rows), len(header))
                ),
                bits,
                numpy.zeros((len(rows), terminator + fill), dtype=numpy.uint8),
            ]
        )
        words = numpy.packbits(stream, axis=1)
        pad = numpy.resize(numpy.array([0xEC, 0x11], dtype=numpy.uint8), capacity - words.shape[1])
        out[rows] = numpy.hstack([words, numpy.broadcast_to(pad, (len(rows), len(pad)))])
    return out


def _interleaved(version: _Version, data: numpy.ndarray) -> numpy.ndarray:
    """Data and error correction codewords in the order they are placed."""
    blocks, corrections = [], []
    start = 0
    for k in version.blocks:
        block = data[:, start : start + k]
        blocks.append(block)
        corrections.append(_error_correction(block, version.ec_per_block))
        start += k
    columns = []
    for i in range(max(version.blocks)):
        columns += [block[:, i] for block in blocks if i < block.shape[1]]
    for i in range(version.ec_per_block):
        columns += [correction[:, i] for correction in corrections]
    return numpy.stack(columns, axis=1).astype(numpy.uint8)


def _encode_version(
    version: _Version, payloads: Sequence[bytes], mask: int | None
) -> list[numpy.ndarray]:
    codewords = _interleaved(version, _codewords(version, payloads))
    bits = numpy.unpackbits(codewords, axis=1)
    bits = numpy.pad(bits, ((0, 0), (0, len(version.order) - bits.shape[1])))  # remainder
    count, size = len(payloads), version.size
    flat = numpy.broadcast_to(version.template.reshape(-1), (8, count, size * size)).copy()
    masked = bits[None, :, :].astype(bool) ^ version.masks[:, None, :]
    flat[:, :, version.order] = masked
    flat[:, :, version.format_area] = version.formats[:, None, version.format_area]
    symbols = flat.reshape(8, count, size, size)
    if mask is not None:
        return [symbols[mask, i] for i in range(count)]
    best = numpy.argmin(_penalty(symbols), axis=0)
    return [symbols[best[i], i] for i in range(count)]


def _penalty(symbols: numpy.ndarray) -> numpy.ndarray:
    """The standard's penalty score of each symbol: (..., size, size) -> (...).

    Rows (and columns) are packed into 64-bit numbers, so each rule is a few bitwise
    operations over all symbols at once. The finder-like rule counts patterns that lie
    wholly inside the symbol.
    """
    size = symbols.shape[-1]
    rows, columns = _packed(symbols), _packed(numpy.swapaxes(symbols, -1, -2))
    full = numpy.uint64((1 << size) - 1)
    score = numpy.zeros(symbols.shape[:-2], dtype=numpy.int64)
    for lines in (rows, columns):
        score += _runs(lines, size) + 40 * _finder_like(lines, size)
    same_above = ~(rows[..., 1:, :] ^ rows[..., :-1, :]) & full  # one line with the next
    same_across = ~(rows ^ (rows >> numpy.uint64(1))) & (full >> numpy.uint64(1))
    blocks = same_above & (same_above >> numpy.uint64(1)) & same_across[..., :-1, :]
    score += 3 * _count(blocks & (full >> numpy.uint64(1)))
    total = size * size
    dark = _count(rows)
    score += 10 * (numpy.abs(dark * 20 - total * 10) // total)
    return score


def _packed(symbols: numpy.ndarray) -> numpy.ndarray:
    """Each line of modules as a number, the first module in the highest bit: (..., lines, 1)."""
    size = symbols.shape[-1]
    packed = numpy.packbits(symbols, axis=-1)
    padded = numpy.zeros((*packed.shape[:-1], 8), dtype=numpy.uint8)
    padded[..., : packed.shape[-1]] = packed
    numbers = padded.view(">u8").astype(numpy.uint64)
    return numbers >> numpy.uint64(64 - size)


def _count(bits: numpy.ndarray) -> numpy.ndarray:
    """Set bits over every line of each symbol."""
    counts: numpy.ndarray = numpy.bitwise_count(bits).sum(axis=(-1, -2), dtype=numpy.int64)
    return counts


def _runs(lines: numpy.ndarray, size: int) -> numpy.ndarray:
    """Rule 1: 3 + (length − 5) for each run of five or more modules of one colour.

    A run of length L holds L − 4 windows of five equal modules, so its penalty is that
    count plus 2 for the window that starts it.
    """
    one = numpy.uint64(1)
    same = ~(lines ^ (lines >> one)) & numpy.uint64((1 << (size - 1)) - 1)  # bit i: i ≡ i+1
    five = same & (same >> one) & (same >> numpy.uint64(2)) & (same >> numpy.uint64(3))
    # The first window of a run is the one whose module before it (one bit higher than
    # the window's five) differs, or that starts the line.
    starts = five & ~(same >> numpy.uint64(4))
    penalties: numpy.ndarray = _count(five) + 2 * _count(starts)
    return penalties


# 1:1:3:1:1 with four light modules after or before it, as 11-bit numbers (first module high).
_FINDER_LIKE = (0b10111010000, 0b00001011101)


def _finder_like(lines: numpy.ndarray, size: int) -> numpy.ndarray:
    """Rule 3: finder-like patterns, counted (the caller weighs them)."""
    found = numpy.zeros(lines.shape[:-2], dtype=numpy.int64)
    window = numpy.uint64(0x7FF)
    for shift in range(size - 10):
        bits = (lines >> numpy.uint64(shift)) & window
        for pattern in _FINDER_LIKE:
            found += (bits == numpy.uint64(pattern)).sum(axis=(-1, -2))
    return found
