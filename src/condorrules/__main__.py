"""Allow ``python -m condorrules``."""

from condorrules.cli import main

main()
