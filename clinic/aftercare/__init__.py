"""Aftercare companion: treatment records and answers for the day after a session (issue 16)."""
