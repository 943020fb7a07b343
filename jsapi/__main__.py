"""`python -m jsapi`: the same as the `jsapi` console script."""

import sys

from jsapi.cli import main

sys.exit(main())
