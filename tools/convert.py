"""Convert sources/ into docs/readings/: the README's command, a thin entry to ``reading_guide.converter``.

.venv/bin/python tools/convert.py [--check] [--force] [--explain SOURCE] [--add CAPTURE] [--accept SOURCE]
"""

import sys
from pathlib import Path

from reading_guide.converter.cli import main

sys.exit(main(root=Path(__file__).resolve().parent.parent))
