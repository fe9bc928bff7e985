"""Configuration: defaults here, overridden by ELECTION_* environment variables (flask from_prefixed_env)."""
from __future__ import annotations

from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
INSTANCE_DIR = PROJECT_DIR / "instance"
DEV_SECRET_KEY = "dev-only-insecure-key"


class DefaultConfig:
    ENV_NAME = "development"  # ELECTION_ENV_NAME=production switches on the production checks
    SECRET_KEY = DEV_SECRET_KEY
    DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'election.db'}"
    DATABASE_ECHO = False
    # a streaming replica for GET pages, reports and API reads (election/core/replica.py, docs/deploy.md 3.2);
    # unset = everything on DATABASE_URL. Lagging more than MAX_LAG seconds or down = reads on the primary.
    DATABASE_REPLICA_URL = ""
    DATABASE_REPLICA_MAX_LAG = 5
    DATABASE_REPLICA_CHECK_SECONDS = 1  # the replica's health and lag are checked this often per process
    DATABASE_REPLICA_RETRY_SECONDS = 5  # a replica found down is tried again after this pause
    SQLITE_BUSY_TIMEOUT_MS = 15000
    TIMEZONE = "Asia/Shanghai"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # production sets True (served behind HTTPS)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    MAX_CONTENT_LENGTH = 6 * 1024 * 1024  # 5 MB upload limit + form overhead
    WTF_CSRF_TIME_LIMIT = None  # token lives as long as the session
    WTF_I18N_ENABLED = False  # WTForms' own Chinese messages (election/core/forms.py), no Flask-Babel
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_MINUTES = 15
    UPLOAD_DIR = str(INSTANCE_DIR / "uploads")
    # a spreadsheet at least this big is imported as a background task with a progress bar
    BACKGROUND_IMPORT_BYTES = 256 * 1024
    # the job queue (election/tasks/queue.py, docs/deploy.md §1.9): unset = worker threads inside the web process;
    # redis://host:6379/0 or unix:///path/redis.sock = Redis, run by separate `election worker` processes
    QUEUE_URL = ""
    QUEUE_WORKER_THREADS = 2           # jobs one worker process (or the web process, unset) runs at once
    QUEUE_HEARTBEAT_SECONDS = 15       # a worker silent this long is dead: its job is delivered again
    QUEUE_TIME_LIMIT_MINUTES = 60      # a job running longer is stopped and failed
    REMINDER_TIME = "08:00"  # daily reminder job, Asia/Shanghai
    SMTP_HOST = ""  # e-mail reminders are optional: set ELECTION_SMTP_HOST (and _PORT, _USERNAME, _PASSWORD, _SENDER)
    SMTP_PORT = 25
    SMTP_SENDER = "noreply@localhost"
    SMTP_STARTTLS = False
    MAIL_INTERVAL_MINUTES = 5  # the scheduler mails new reminders this often (event reminders arrive within minutes)
    BASE_URL = "http://127.0.0.1:5000"  # the address users open the system at: e-mailed links start with it
    PROXY_COUNT = 0  # reverse proxies in front (nginx = 1): trust that many X-Forwarded-For/-Proto/-Host hops
    # the audit chain's HMAC key, kept outside the database (election/audit/keys.py, docs/deploy.md): a key file of
    # "id:secret" lines (the last signs, all verify) or one key; unset = the development key, refused in production
    AUDIT_KEY_FILE = ""
    AUDIT_KEY = ""
    AUDIT_KEY_ID = "k1"
    AUDIT_LEGACY_UNTIL = None  # entries up to this seq predate the key; a later unkeyed entry fails verify
    PAGE_CACHE_SIZE = 256  # rendered heavy pages kept per worker until the data changes (election/core/page_cache.py)


class ConfigError(RuntimeError):
    pass


def check_production_config(config) -> None:
    """Refuse to start in production with a missing or default secret key."""
    if config.get("ENV_NAME") != "production":
        return
    key = config.get("SECRET_KEY") or ""
    if not key or key == DEV_SECRET_KEY or len(key) < 16:
        raise ConfigError("生产环境必须设置 ELECTION_SECRET_KEY（至少16个字符的随机字符串），不能使用默认值。")
    config["SESSION_COOKIE_SECURE"] = True
    config["REMEMBER_COOKIE_SECURE"] = True
