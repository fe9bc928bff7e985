"""The `election` console script and `flask --app election` reach the same commands."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def _run(args, db, **env):
    full_env = {**os.environ, "ELECTION_DATABASE_URL": f"sqlite:///{db}", **env}
    return subprocess.run(args, capture_output=True, text=True, env=full_env, timeout=120)


def test_console_script_upgrade_seed_verify_and_create_user(tmp_path):
    db = tmp_path / "cli.db"
    assert _run([BIN / "election", "db", "upgrade"], db).returncode == 0
    seeded = _run([BIN / "election", "seed", "demo"], db)
    assert seeded.returncode == 0 and "admin" in seeded.stdout and "demo12345" in seeded.stdout
    again = _run([BIN / "election", "seed", "demo"], db)
    assert "未做任何改动" in again.stdout
    verify = _run([BIN / "flask", "--app", "election", "audit", "verify"], db)
    assert verify.returncode == 0 and "审计日志完整" in verify.stdout
    created = subprocess.run([BIN / "election", "create-user", "--username", "clerk2", "--name", "新同志", "--role",
                              "office", "--password", "long-enough-9"], capture_output=True, text=True, timeout=120,
                             env={**os.environ, "ELECTION_DATABASE_URL": f"sqlite:///{db}"})
    assert created.returncode == 0 and "clerk2" in created.stdout
    bad = _run([BIN / "election", "create-user", "--username", "x", "--role", "boss", "--password", "long-enough-9"], db)
    assert bad.returncode == 2 and "未知角色" in bad.stderr


def test_production_refuses_to_start_without_secret(tmp_path):
    result = _run([BIN / "election", "audit", "verify"], tmp_path / "p.db", ELECTION_ENV_NAME="production")
    assert result.returncode == 2 and "ELECTION_SECRET_KEY" in result.stderr and "Traceback" not in result.stderr


def test_serve_answers_on_the_given_port(tmp_path):
    import socket
    import time
    import urllib.request

    db = tmp_path / "serve.db"
    assert _run([BIN / "election", "db", "upgrade"], db).returncode == 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([BIN / "election", "serve", "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "ELECTION_DATABASE_URL": f"sqlite:///{db}"})
    try:
        status = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as response:
                    status = response.status
                    body = response.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200 and "登录" in body
    finally:
        proc.terminate()
        proc.wait(10)
