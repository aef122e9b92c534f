"""The request's database connection: kept by the thread between requests, never carrying a
transaction, another database's file or another process's handle from one request to the next."""

from __future__ import annotations

import os

import pytest

from portal import create_app, db


def make_app(folder):  # type: ignore[no-untyped-def]
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-only-secret",
            "DATABASE": str(folder / "p.sqlite3"),
            "FILES": str(folder / "files"),
        }
    )


def the_file(conn) -> str:  # type: ignore[no-untyped-def]
    return conn.execute("PRAGMA database_list").fetchone()[2]


@pytest.fixture
def app(tmp_path):  # type: ignore[no-untyped-def]
    return make_app(tmp_path)


def test_a_thread_keeps_its_connection_from_one_request_to_the_next(app):
    with app.test_request_context("/"):
        first = db.get_db()
        assert db.get_db() is first
    with app.test_request_context("/"):
        assert db.get_db() is first
        assert first.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert first.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_transaction_left_open_ends_with_its_request_and_writes_nothing(app):
    with app.test_request_context("/"):
        conn = db.get_db()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO users (email, password_hash, role, created_at)"
            " VALUES ('left@example.gov.uk', 'x', 'viewer', 'now')"
        )
    with app.test_request_context("/"):
        kept = db.get_db()
        assert kept is conn and not kept.in_transaction
        assert db.user_by_email(kept, "left@example.gov.uk") is None
    other = db.connect(app.config["DATABASE"])  # the write lock was given back
    try:
        with db.write(other):
            other.execute("DELETE FROM login_failures")
    finally:
        other.close()


def test_a_database_file_replaced_on_disk_gets_a_connection_of_its_own(app, tmp_path):
    with app.test_request_context("/"):
        old = db.get_db()
    spare = make_app(tmp_path / "spare")  # a second migrated database, moved into place
    path = app.config["DATABASE"]
    os.replace(spare.config["DATABASE"], path)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    with app.test_request_context("/"):
        new = db.get_db()
        assert new is not old
        assert os.path.samefile(the_file(new), path)


def test_two_portals_in_one_thread_each_read_their_own_database(tmp_path):
    one, two = make_app(tmp_path / "one"), make_app(tmp_path / "two")
    for _ in range(2):
        for app in (one, two, one):
            with app.test_request_context("/"):
                assert os.path.samefile(the_file(db.get_db()), app.config["DATABASE"])


def test_a_forked_child_opens_its_own_connection_and_leaves_the_parents_alone(app):
    with app.test_request_context("/"):
        parent = db.get_db()
    pid = os.fork()
    if pid == 0:  # the child: a new connection, and the inherited one never closed here
        code = 1
        try:
            with app.test_request_context("/"):
                mine = db.get_db()
                code = 0 if mine is not parent and mine.execute("SELECT 1").fetchone() else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    with app.test_request_context("/"):
        assert db.get_db() is parent
        with db.write(parent):
            parent.execute("DELETE FROM login_failures")
