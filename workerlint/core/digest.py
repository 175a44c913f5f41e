"""The digests workerlint keys its caches with; light, because a run the manifest replays
(app/replay.py) imports it before anything else.

``hashlib`` loads OpenSSL when imported (about 2 ms); the built-in modules it would hand out
for these two digests are asked for directly, with ``hashlib`` as the fallback.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b
try:
    from _sha2 import sha256  # Python 3.12 and later
except ImportError:
    try:
        from _sha256 import sha256
    except ImportError:  # pragma: no cover
        from hashlib import sha256


def content_digest(data: bytes) -> str:
    """The digest of some bytes (blake2b, 16 bytes, hex): how the index keys a file's facts, the
    results cache its findings, and the run manifest the inputs it checks by content."""
    return blake2b(data, digest_size=16).hexdigest()


# From this many bytes on, a payload's SHA-256 is OpenSSL's (``hashlib``: it uses the processor's
# SHA instructions where there are any): 1.6 ms for saleor's 3.5 MB results cache instead of the
# built-in module's 8.7 ms, which is worth importing hashlib (about 2 ms) from about 1 MB on.
_LARGE = 1 << 20


def checksum(*pieces: bytes) -> str:
    """The SHA-256 of a cache file's payload (given whole, or in pieces), as its header stores
    it (core/cache.py). The same digest whichever module computes it."""
    if sum(len(piece) for piece in pieces) >= _LARGE:
        from hashlib import sha256 as make
    else:
        make = sha256
    digest = make()
    for piece in pieces:
        digest.update(piece)
    return digest.hexdigest()
