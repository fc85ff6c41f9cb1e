"""Services of the pages: spam protection, uploads, the citizen portal's flows."""
