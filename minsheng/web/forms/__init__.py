"""Forms of the pages, one module per workbench."""
