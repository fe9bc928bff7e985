"""The `election` command line (also reachable as `flask --app election …`): the app's commands
(election.commands.app) and the pure rule commands (election.commands), loaded through the app factory."""
from __future__ import annotations

import sys

import click
from flask.cli import FlaskGroup

from election import create_app


def _create_app():
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False,
             load_dotenv=False, set_debug_flag=False, help="代表选举与履职管理系统命令行")
def cli() -> None:
    pass


def main() -> None:
    from election.core.config import ConfigError

    try:
        cli(prog_name="election")
    except ConfigError as exc:  # e.g. production without a secret key: a message, not a traceback
        click.echo(f"配置错误：{exc}", err=True)
        sys.exit(2)
