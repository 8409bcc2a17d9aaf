"""``python -m quotex``."""

from .cli import main

main()
