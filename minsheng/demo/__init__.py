"""Demo data for the quickstart, written by us."""
