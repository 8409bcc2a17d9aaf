"""Training and evaluation code for quotex's models (not needed at run time)."""
