"""The cache files' checksum (core/digest.py): BLAKE2b of 32 bytes, whole or in pieces."""

from __future__ import annotations

import hashlib
import random

import pytest

from workerlint.core import digest


@pytest.mark.parametrize("size", [0, 1, 1000, 4096, 3_000_000])
def test_the_checksum_is_blake2b_whole_or_in_pieces(size):
    data = random.Random(size).randbytes(size)
    expected = hashlib.blake2b(data, digest_size=32).hexdigest()
    assert digest.checksum(data) == expected
    cut = size // 3
    assert digest.checksum(data[:cut], data[cut:]) == expected
    assert digest.checksum(*(data[i : i + 4096] for i in range(0, size, 4096))) == expected
