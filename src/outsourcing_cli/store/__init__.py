"""Storage: data directories, YAML read safely and checked against the registry, the validated-data
cache and the wheel's snapshot. May import the domain.
"""
