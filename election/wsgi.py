"""WSGI entry for gunicorn: `gunicorn 'election.wsgi:app'`."""
from election import create_app

app = create_app()
