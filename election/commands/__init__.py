"""Commands of the `election` CLI that work on plain files (no database needed).

Each module here exposes one click command (or group) named ``command``; ``election.cli`` registers
every module listed in PURE_COMMANDS. Bad input exits with status 2 and a Chinese message on stderr.
"""

PURE_COMMANDS = ("workdays", "quota", "tally", "names")
