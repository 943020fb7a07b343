"""Lets the binary tests import their shared builders (the suite uses importlib mode)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
