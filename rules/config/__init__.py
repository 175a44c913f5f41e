"""Rules of the config family."""
