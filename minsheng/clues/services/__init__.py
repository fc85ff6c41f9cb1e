"""Every write to clues goes through the functions of this package."""
