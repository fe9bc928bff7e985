"""A throwaway Redis for the test run (the job queue's engine): a private redis-server on a unix socket, no disk."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass


@dataclass
class RedisServer:
    url: str          # unix:///…/redis.sock — what ELECTION_QUEUE_URL takes
    socket: str
    root: str

    def stop(self) -> None:
        pid_file = os.path.join(self.root, "redis.pid")
        if os.path.exists(pid_file):
            try:
                os.kill(int(open(pid_file).read().strip()), 15)
            except (ProcessLookupError, ValueError):
                pass
        shutil.rmtree(self.root, ignore_errors=True)


def start_redis() -> tuple[RedisServer | None, str]:
    """Start redis-server on a unix socket in a fresh folder; returns (server, "") or (None, why not)."""
    binary = shutil.which("redis-server")
    if binary is None:
        return None, "找不到 redis-server，请运行 make test 自动安装（apt-get install redis-server）"
    root = tempfile.mkdtemp(prefix="election-redis-")
    sock = os.path.join(root, "redis.sock")
    r = subprocess.run([binary, "--port", "0", "--unixsocket", sock, "--unixsocketperm", "700", "--save", "",
                        "--appendonly", "no", "--daemonize", "yes", "--pidfile", os.path.join(root, "redis.pid"),
                        "--logfile", os.path.join(root, "redis.log"), "--dir", root],
                       capture_output=True, text=True, timeout=30)
    if r.returncode != 0:
        return None, f"redis-server 启动失败：{(r.stderr or r.stdout).strip()[:300]}"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if os.path.exists(sock):
            return RedisServer(f"unix://{sock}", sock, root), ""
        time.sleep(0.05)
    return None, "redis-server 未能在限定时间内启动"
