"""``python -m chartsafe``."""

from chartsafe.cli import run

run()
