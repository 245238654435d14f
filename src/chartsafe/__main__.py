"""``python -m chartsafe``."""

from chartsafe.cli import main

raise SystemExit(main())
