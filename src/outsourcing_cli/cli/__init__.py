"""The command line (Typer): parses, calls the domain, renders and picks the exit code. The top
layer: may import every other one.
"""
