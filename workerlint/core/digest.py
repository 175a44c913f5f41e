"""The digests workerlint keys its caches with; light, because a run the manifest replays
(app/replay.py) imports it before anything else.

``hashlib`` loads OpenSSL when imported (about 2 ms and 3.7 MB); the built-in module it would
hand out for BLAKE2b is asked for directly, with ``hashlib`` as the fallback.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b


def content_digest(data: bytes) -> str:
    """The digest of some bytes (blake2b, 16 bytes, hex): how the index keys a file's facts, the
    results cache its findings, and the run manifest the inputs it checks by content."""
    return blake2b(data, digest_size=16).hexdigest()


def checksum(*pieces: bytes) -> str:
    """The checksum of a cache file's payload (given whole, or in pieces), as its header stores
    it (core/cache.py): BLAKE2b, 32 bytes. The built-in module hashes about 1.5 GB/s here
    (saleor's 3.5 MB results cache: 2.3 ms) where the built-in SHA-256 did 0.4 GB/s (8.7 ms);
    OpenSSL's SHA-256 is as fast but costs importing hashlib and 3.7 MB of memory."""
    digest = blake2b(digest_size=32)
    for piece in pieces:
        digest.update(piece)
    return digest.hexdigest()
