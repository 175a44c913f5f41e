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


def checksum(*pieces: bytes) -> str:
    """The SHA-256 of a cache file's payload (given whole, or in pieces), as its header stores
    it (core/cache.py)."""
    digest = sha256()
    for piece in pieces:
        digest.update(piece)
    return digest.hexdigest()
