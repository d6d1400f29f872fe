"""Framework-free core of the clinic assistant.

Everything here is importable and testable without Rasa: settings, clinic facts,
FAQ topics, the fallback decision and the database layer. Rasa actions, Rasa add-ons
and the web console are thin layers that call into this package.
"""
