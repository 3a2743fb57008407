"""``python -m reading_guide.converter``: see ``cli``."""

import sys

from reading_guide.converter.cli import main

sys.exit(main())
