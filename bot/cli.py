"""The `montage-bot` command line: offline lookups, catalog checks, and running the bot.

Heavy imports (discord.py, SQLAlchemy) happen inside the commands that need them, so `search`
and `check` start fast.
"""

from __future__ import annotations

import argparse
import json
import random as random_module
import sys
from collections.abc import Sequence

from bot.catalog import Catalog, CatalogError, Montage, load_catalog, normalise_decade
from bot.search import THRESHOLD, Match, MontageIndex
from bot.settings import SettingsError, load_settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    try:
        args.settings = load_settings()
        code: int = args.handler(args)
    except SettingsError as exc:
        print(f"montage-bot: {exc}", file=sys.stderr)
        return 2
    except CatalogError as exc:
        print(f"montage-bot: broken catalog: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="montage-bot",
        description="Film training montages: search the catalog offline, or run the Discord bot.",
    )
    parser.add_argument(
        "--catalog",
        metavar="PATH",
        help="catalog YAML to use (default: MONTAGES_PATH, else the bundled catalog)",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    search = commands.add_parser(
        "search",
        help="fuzzy-search the catalog",
        description=(
            "Ranked montages matching QUERY (film, montage name, people, aliases, tags), "
            "or with --by song the montages whose music matches."
        ),
    )
    search.add_argument("query", help="what to look for; typos are fine")
    search.add_argument("--by", choices=["montage", "song"], default="montage")
    search.add_argument("--limit", type=_positive, default=5, help="most results (default 5)")
    search.add_argument("--json", action="store_true", help="print JSON for scripts")
    search.set_defaults(handler=_search)

    rand = commands.add_parser(
        "random",
        help="a random montage",
        description=(
            "A random montage, optionally with a tag (e.g. boxing) and a decade (e.g. 1990s)."
        ),
    )
    rand.add_argument("--tag", help="only montages with this tag")
    rand.add_argument("--decade", help="only montages from this decade, e.g. 1990s")
    rand.add_argument("--json", action="store_true", help="print JSON for scripts")
    rand.set_defaults(handler=_random)

    check = commands.add_parser(
        "check",
        help="validate a catalog file",
        description=(
            "Validate a catalog YAML file and summarise it; exit status 1 if it is broken."
        ),
    )
    check.add_argument("path", nargs="?", help="catalog to check (default: the one in use)")
    check.set_defaults(handler=_check)

    from bot.cli_admin import add_bot_commands

    add_bot_commands(commands)
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _catalog(args: argparse.Namespace) -> Catalog:
    return load_catalog(args.catalog or args.settings.montages_path)


def _search(args: argparse.Namespace) -> int:
    index = MontageIndex(_catalog(args))
    by_song = args.by == "song"
    find = index.search_songs if by_song else index.search
    matches = find(args.query, limit=args.limit)
    if args.json:
        print(json.dumps([_as_json(m) for m in matches], ensure_ascii=False, indent=2))
        return 0
    if not matches:
        what = "song, artist or composer" if by_song else "montage"
        print(
            f"No {what} matches {args.query!r} (nothing scored {THRESHOLD:.0f} or more). "
            "Check the spelling, try fewer words, or try `montage-bot random`."
        )
        return 0
    for number, match in enumerate(matches, 1):
        m = match.montage
        line = f"{number}. {m.label}  [{m.id}]  score {match.score:.0f}"
        if match.piece:
            line += f"  - {match.piece.title} by {', '.join(match.piece.artists)}"
        print(line)
    return 0


def _as_json(match: Match) -> dict[str, object]:
    m = match.montage
    data: dict[str, object] = {
        "id": m.id,
        "film": m.film,
        "year": m.year,
        "title": m.title,
        "kind": m.kind,
        "score": round(match.score, 1),
        "matched": match.matched,
    }
    if match.piece:
        data["song"] = {"title": match.piece.title, "artists": list(match.piece.artists)}
    return data


def _random(args: argparse.Namespace) -> int:
    catalog = _catalog(args)
    try:
        decade = normalise_decade(args.decade) if args.decade else None
    except ValueError as exc:
        print(f"montage-bot: {exc}", file=sys.stderr)
        return 2
    pool = catalog.filter(tag=args.tag, decade=decade)
    if not pool:
        wanted = " and ".join(
            part for part in (f"tag {args.tag!r}" if args.tag else "", decade or "") if part
        )
        print(f"No montage has {wanted}. Tags: {', '.join(catalog.tags)}.", file=sys.stderr)
        return 1
    montage = random_module.choice(pool)
    if args.json:
        print(json.dumps(montage.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return 0
    print(describe(montage))
    return 0


def describe(m: Montage) -> str:
    lines = [m.label]
    if m.music:
        lines.append("Music: " + "; ".join(f"{p.title} ({', '.join(p.artists)})" for p in m.music))
    elif m.no_music:
        lines.append("Music: none (sound design only)")
    if m.cast:
        lines.append(
            "Cast: "
            + ", ".join(f"{p.actor} as {p.character}" if p.character else p.actor for p in m.cast)
        )
    if m.directors:
        lines.append("Directed by " + ", ".join(m.directors))
    if m.tags:
        lines.append("Tags: " + ", ".join(m.tags))
    lines.append(m.description)
    return "\n".join(lines)


def _check(args: argparse.Namespace) -> int:
    try:
        catalog = load_catalog(args.path or args.catalog or args.settings.montages_path)
    except CatalogError as exc:
        print(f"{exc}", file=sys.stderr)
        return 1
    picks = sum(1 for m in catalog if m.kind == "pick")
    print(
        f"{catalog.path}: OK - {len(catalog)} montages ({picks} ranked picks, "
        f"{len(catalog) - picks} mentions), {len(catalog.tags)} tags, "
        f"decades {', '.join(catalog.decades)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
