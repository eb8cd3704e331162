"""``python -m ferroauth``: the command line."""

import sys

from ferroauth.cli import main

sys.exit(main())
