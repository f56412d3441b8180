"""Telegram front end for the knowledge engine: ``python -m bot``."""
