"""Rules of the loads family."""
