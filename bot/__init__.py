"""montage-bot: film training montages for Discord, with a core that knows nothing of Discord."""

__version__ = "0.1.0"
