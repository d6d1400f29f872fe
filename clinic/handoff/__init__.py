"""Handoff: see the modules of this package."""
