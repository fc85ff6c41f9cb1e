"""Minsheng (民声): an open-source Internet + Supervision platform."""
