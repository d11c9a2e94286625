"""oscli: an exact command-line reference to China's offshore service outsourcing policy."""

__version__ = "0.1.0"
