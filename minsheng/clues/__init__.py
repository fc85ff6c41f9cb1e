"""Clues (问题线索) and their lifecycle: intake, transfer, verification, review, answer, closure."""
