"""Personal data: masking for department staff (and, later, detection in free text)."""
