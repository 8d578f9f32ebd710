"""Alembic environment for the storage schema; run through ``bot.storage.migrate.upgrade``."""
