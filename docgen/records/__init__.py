"""Records management (SPEC §9): export a case, verify the archive, retention and erasure."""
