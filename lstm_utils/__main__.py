"""``python -m lstm_utils``: see :mod:`lstm_utils.cli`."""

from lstm_utils.cli import main

raise SystemExit(main())
