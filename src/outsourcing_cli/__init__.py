"""oscli: an exact command-line reference to China's offshore service outsourcing policy.

The package is in layers, each a folder, lowest first; a module may import from its own layer and
from the layers before it, never from one after it (tests/test_architecture.py; ARCHITECTURE.md).
"""

__version__ = "0.1.0"

LAYERS = ("domain", "store", "present", "export", "serve", "cli")
