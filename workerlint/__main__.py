"""Run workerlint as ``python -m workerlint``."""

import sys

from workerlint.app.entry import main

sys.exit(main())
