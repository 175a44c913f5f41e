"""Run workerlint as ``python -m workerlint``."""

import sys

from workerlint.app.cli import main

sys.exit(main())
