"""Views of the pages: the citizen portal now, the workbenches later."""
