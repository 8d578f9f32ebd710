"""Slash commands, one cog per area; each checks input, calls the core and sends one reply."""
