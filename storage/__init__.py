"""Persistence for newsbot: SQLModel tables on SQLite (default) or PostgreSQL.

Knows nothing of the bot: no Telegram, no HTTP, no HTML.
"""
