"""Rules of the connections family."""
