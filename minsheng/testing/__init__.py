"""Helpers shared by the test suites of all apps (not imported by production code)."""
