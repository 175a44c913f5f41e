"""WL0: the engine's own findings (documented here; emitted by the engine)."""
