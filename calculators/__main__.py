"""`python -m calculators`: see calculators.cli."""

from calculators.cli import main

raise SystemExit(main())
