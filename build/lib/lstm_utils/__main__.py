"""``python -m lstm_utils``: see :mod:`lstm_utils.cli`."""

from lstm_utils.cli import main

LAYER = "presentation"  # this module's layer of the package (lstm_utils.LAYERS)

raise SystemExit(main())
