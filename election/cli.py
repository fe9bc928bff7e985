"""The `election` command line (also reachable as `flask --app election …`)."""
from __future__ import annotations

import importlib

import click
from flask import Flask
from flask.cli import FlaskGroup

from election.commands import PURE_COMMANDS


def register_cli(app: Flask) -> None:
    for name in PURE_COMMANDS:
        try:
            module = importlib.import_module(f"election.commands.{name}")
        except ModuleNotFoundError as exc:  # a command still being written
            if exc.name != f"election.commands.{name}":
                raise
            continue
        app.cli.add_command(module.command)


def _create_app() -> Flask:
    from election import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False,
             load_dotenv=False, set_debug_flag=False, help="代表选举与履职管理系统命令行")
def cli() -> None:
    pass


def main() -> None:
    cli(prog_name="election")
