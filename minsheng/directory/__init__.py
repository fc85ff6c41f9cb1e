"""Reference data a deployment configures.

Regions, departments, the category taxonomy, the responsibility list and SLA policies.
"""
