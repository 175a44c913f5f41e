"""Rules of the calls family."""
