"""Reads for the pages, one module per workbench."""
