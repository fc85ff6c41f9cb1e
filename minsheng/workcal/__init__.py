"""The official working calendar: deadlines are counted in working days."""
