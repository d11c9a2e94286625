"""The domain: the registry of kinds, the records, dates and time, lookups, rules and search.

Pure: no file, terminal or network, no Typer or Rich. Imports nothing of oscli's other layers.
"""
