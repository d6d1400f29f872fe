"""Privacy: see the modules of this package."""
