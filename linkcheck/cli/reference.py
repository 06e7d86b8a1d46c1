"""docs/cli.md, generated from the command parsers: every command and option, as ``--help``
knows them (``python -m linkcheck.cli.reference > docs/cli.md``)."""

from __future__ import annotations

import argparse
import sys

from linkcheck.cli import build_parser


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def markdown_reference() -> str:
    parser = build_parser([])  # every command module
    helps = {a.dest: a.help for a in parser._subparsers._group_actions[0]._choices_actions}  # type: ignore[union-attr]
    lines = [
        "# Command line",
        "",
        "<!-- generated from linkcheck/cli/ by `python -m linkcheck.cli.reference > docs/cli.md`;"
        " edit the command's help there -->",
        "",
        "Every command is `python -m linkcheck [-v] COMMAND ...` (`-v`: debug logging). Exit codes:",
        "0 success, 1 problems found (a broken link, a catalog entry to fix), 2 usage or runtime error.",
        "Settings come from the environment: [configuration.md](configuration.md).",
        "",
        "| command | what it does |",
        "|---|---|",
    ]
    commands = _subcommands(parser)
    lines += [f"| [`{name}`](#{name}) | {_cell(helps.get(name) or '')} |" for name in commands]
    for name, sub in commands.items():
        formatter = sub._get_formatter()
        usage = " ".join(formatter._format_usage(sub.usage, sub._actions, sub._mutually_exclusive_groups,
                                                 "").split())
        lines += ["", f"## {name}", "", f"`{usage.replace('usage: ', '', 1)}`", ""]
        lines += [_cell(sub.description or helps.get(name) or ""), ""]
        rows = []
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            if action.option_strings:
                flag = ", ".join(action.option_strings)
                if action.nargs != 0:
                    flag += " " + (action.metavar or action.dest.upper())
            else:
                flag = str(action.metavar or action.dest)
            meaning = formatter._expand_help(action) if action.help else ""
            rows.append(f"| `{_cell(flag)}` | {_cell(meaning)} |")
        if rows:
            lines += ["| argument | meaning |", "|---|---|", *rows]
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(markdown_reference())
