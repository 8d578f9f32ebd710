"""Snowflake-sized ids (they need BIGINT) shared by the storage tests."""

GUILD = 1_100_000_000_000_000_001
OTHER_GUILD = 1_100_000_000_000_000_002
MOD = 1_200_000_000_000_000_001
USER = 1_300_000_000_000_000_000  # members are USER + n
