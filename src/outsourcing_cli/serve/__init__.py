"""Servers for other programs: the fact base over the Model Context Protocol (``oscli mcp``).
May import the domain, storage and presentation.
"""
