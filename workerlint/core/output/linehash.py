"""GitHub's ``primaryLocationLineHash``: the fingerprint code scanning matches alerts by.

The upload action (github/codeql-action, ``src/fingerprints.ts``) computes it for every result
that lacks one, from the file in the checkout; a SARIF file that already carries it keeps it, and
the action warns when the two differ. This is the same function, so that the fingerprints
workerlint writes are the ones the action would compute.

The action reads the file as UTF-8 and works on UTF-16 code units. It drops spaces and tabs,
turns ``\\r\\n`` and a lone ``\\r`` into ``\\n``, appends an end-of-file unit (65535) and 100
zeros, and hashes, for each line, the 100 units that start at the line's first kept unit:
``sum(unit[k] * 37 ** (99 - k))`` in 64-bit wrapping arithmetic (its ``Long``), printed as
unsigned hexadecimal without leading zeros. A hash seen before in the file gets the next count:
``hash:1``, ``hash:2``, ... Lines are counted as the action counts them (a lone ``\\r`` ends a
line), and the line after a final newline gets a hash too.
"""

from __future__ import annotations

from array import array
from collections import Counter
from operator import mul

BLOCK_SIZE = 100
MOD = 37
EOF = 65535
_MASK = (1 << 64) - 1
_LF = ord("\n")
# POWERS[k] multiplies the k-th unit of a block (the first unit gets the highest power).
POWERS = tuple(pow(MOD, BLOCK_SIZE - 1 - k, 1 << 64) for k in range(BLOCK_SIZE))
_DROP_BLANKS = str.maketrans("", "", " \t")


def _units(text: str) -> list[int]:
    """The UTF-16 code units the action hashes: blanks dropped, line ends made ``\\n``."""
    # "\r\n" first: an LF right after a CR is dropped only when nothing comes between them.
    kept = text.replace("\r\n", "\n").replace("\r", "\n").translate(_DROP_BLANKS)
    units = array("H")
    units.frombytes(kept.encode("utf-16-le", "surrogatepass"))
    return units.tolist()


def line_hashes(text: str) -> list[str]:
    """``hash:count`` for each line as the action numbers them (index 0 is line 1)."""
    units = _units(text)
    starts = [0]
    position = -1
    while True:
        try:
            position = units.index(_LF, position + 1)
        except ValueError:
            break
        starts.append(position + 1)  # the next line starts at the next unit (maybe the EOF)
    units.append(EOF)
    units.extend([0] * BLOCK_SIZE)
    seen: Counter[str] = Counter()
    hashes = []
    for start in starts:
        value = sum(map(mul, units[start : start + BLOCK_SIZE], POWERS)) & _MASK
        digest = format(value, "x")
        seen[digest] += 1
        hashes.append(f"{digest}:{seen[digest]}")
    return hashes


def decode(data: bytes) -> str:
    """A file's bytes as the action reads them (UTF-8, invalid bytes as U+FFFD, BOM kept)."""
    return data.decode("utf-8", errors="replace")
