"""The cache files' checksum (core/digest.py): SHA-256 whichever module computes it (the
built-in one for small payloads, OpenSSL's through hashlib from ``_LARGE`` bytes on), whole or
in pieces."""

from __future__ import annotations

import hashlib
import random

import pytest

from workerlint.core import digest


@pytest.mark.parametrize("size", [0, 1, 1000, digest._LARGE - 1, digest._LARGE, 3 * digest._LARGE])
def test_the_checksum_is_sha256_whole_or_in_pieces(size):
    data = random.Random(size).randbytes(size)
    expected = hashlib.sha256(data).hexdigest()
    assert digest.checksum(data) == expected
    cut = size // 3
    assert digest.checksum(data[:cut], data[cut:]) == expected
    assert digest.checksum(*(data[i : i + 4096] for i in range(0, size, 4096))) == expected
