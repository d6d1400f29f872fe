"""Thin rasa-sdk actions: read the tracker, call ``clinic``, return response names."""
