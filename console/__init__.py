"""The clinic's web process (port 8000): a page to try the assistant; later the staff console."""
