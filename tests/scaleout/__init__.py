"""Scale-out on real engines: the scheduler's database lease (one run per period across processes), two gunicorn
servers sharing one PostgreSQL database, one file store and one job queue."""
