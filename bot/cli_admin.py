"""The admin side of the command line: run the bot, register commands, manage the database.

Imported only when one of these commands runs, so offline lookups stay fast.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any


def add_bot_commands(commands: Any) -> None:
    run = commands.add_parser(
        "run",
        help="connect to Discord and answer commands",
        description=(
            "Run the bot with the settings from the environment and .env (see .env.example). "
            "Stops cleanly on Ctrl+C or SIGTERM."
        ),
    )
    run.set_defaults(handler=_run)

    sync = commands.add_parser(
        "sync",
        help="register the slash commands with Discord",
        description=(
            "Upload the slash command definitions: globally (can take up to an hour to show), "
            "or with --guild to one server, which is instant."
        ),
    )
    sync.add_argument("--guild", type=int, metavar="ID", help="register with this server only")
    sync.set_defaults(handler=_sync)

    db = commands.add_parser(
        "db",
        help="manage the database",
        description=("Manage the database named by DATABASE_URL (default: montage-bot.db here)."),
    )
    db_commands = db.add_subparsers(title="database commands", metavar="COMMAND", required=True)
    upgrade = db_commands.add_parser("upgrade", help="apply migrations (run also does this)")
    upgrade.set_defaults(handler=_db_upgrade)

    export = commands.add_parser(
        "export",
        help="export one server's data",
        description=(
            "Print one server's nominations, suggestions, seasons, blocks, settings and audit log."
        ),
    )
    export.add_argument("--guild", type=int, required=True, metavar="ID", help="the server's id")
    export.add_argument(
        "--format",
        choices=["json", "csv"],
        default="json",
        help=("json: everything; csv: one row per nomination (default json)"),
    )
    export.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    export.set_defaults(handler=_export)

    backup = commands.add_parser(
        "backup",
        help="copy the SQLite database safely",
        description=(
            "A consistent copy of the SQLite database, safe while the bot runs. "
            "For PostgreSQL use pg_dump."
        ),
    )
    backup.add_argument("path", help="where to write the copy")
    backup.set_defaults(handler=_backup)


def _run(args: argparse.Namespace) -> int:
    from bot.runner import StartupError, configure_logging, serve

    configure_logging(args.settings.log_level)
    try:
        asyncio.run(serve(args.settings))
    except StartupError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0


def _sync(args: argparse.Namespace) -> int:
    from bot.runner import StartupError, configure_logging, sync_only

    configure_logging(args.settings.log_level)
    try:
        count = asyncio.run(sync_only(args.settings, args.guild))
    except StartupError as exc:
        print(exc, file=sys.stderr)
        return 2
    where = f"server {args.guild}" if args.guild else "all servers (global)"
    print(f"Registered {count} commands with {where}.")
    return 0


def _db_upgrade(args: argparse.Namespace) -> int:
    from bot.runner import StartupError, configure_logging, open_store, safe_url

    configure_logging(args.settings.log_level)

    async def upgrade() -> None:
        store = await open_store(args.settings)
        await store.close()

    try:
        asyncio.run(upgrade())
    except StartupError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"Database {safe_url(args.settings.database_url)} is up to date.")
    return 0


def _export(args: argparse.Namespace) -> int:
    from bot.exporting import export_guild
    from bot.runner import StartupError

    try:
        text = asyncio.run(export_guild(args.settings, args.guild, args.format))
    except StartupError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        print(f"Wrote server {args.guild}'s data to {args.output}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _backup(args: argparse.Namespace) -> int:
    from bot.storage.backup import backup_sqlite
    from bot.storage.engine import sqlite_path

    source = sqlite_path(args.settings.database_url)
    if source is None:
        print(
            "montage-bot: backup copies SQLite databases; DATABASE_URL is PostgreSQL, "
            "so use pg_dump instead.",
            file=sys.stderr,
        )
        return 2
    if not source.exists():
        print(f"montage-bot: there is no database at {source} yet (DATABASE_URL).", file=sys.stderr)
        return 1
    written = backup_sqlite(source, args.path)
    print(f"Backed up {source} to {written}.")
    return 0
