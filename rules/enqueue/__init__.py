"""Rules of the enqueue family."""
