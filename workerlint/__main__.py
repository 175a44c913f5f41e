"""Run workerlint as ``python -m workerlint``."""

import sys

from workerlint.cli import main

sys.exit(main())
