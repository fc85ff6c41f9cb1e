"""Reference data a deployment configures: regions, departments, categories, responsibility list, SLAs."""
