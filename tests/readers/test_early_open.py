"""A workbook opened in a second process, or on a second thread, while the command line loads
(``validator.early_open``) reads exactly as one opened when the engine asks for it, hostile files
included."""

from __future__ import annotations

import builtins
import io
import json
import os
import sys
import threading

import hostile_xlsx as hostile
import pytest

from validator.catalogue import InputError
from validator.cli import main
from validator.engine import validate
from validator.readers import early_open, read_table

from .test_compiled_reader import compiled_reads as compiled_reads
from .test_compiled_reader import everything_workbook
from .test_hostile_xlsx import CASES
from .test_plainsheet import everything


@pytest.fixture(params=["process", "thread"])
def worker(request, monkeypatch):
    """Each test once with the work done by a forked process, once by a thread."""
    monkeypatch.setattr(early_open, "may_fork", lambda: request.param == "process")
    return request.param


def read_whole(source, sheet=None):
    """Everything a report takes from a table, read to the end as the engine reads it."""
    table = read_table(source, sheet=sheet)
    rows = []
    for chunk in table.chunks:
        columns = [chunk.column(i).to_pylist() for i in range(len(chunk.arrays))]
        rows.extend(zip(chunk.rows.tolist(), *columns, strict=True))
    issues = [(i.row, i.kind, i.expected, i.actual) for i in table.issues]
    notes = [(n.code, n.message, n.rows) for n in table.notes]
    return table.sheet, table.header_row, table.header, rows, issues, notes


def test_a_workbook_opened_early_reads_the_same_as_one_opened_late(
    tmp_path, compiled_reads, worker
):
    path = everything_workbook(tmp_path / "everything.xlsx")
    late = read_whole(path)
    early_open.start(path, None)
    early = read_whole(path)
    assert early == late
    assert compiled_reads == ["resident-survey", "resident-survey"]  # read once each time


@pytest.mark.parametrize(("build", "code", "words"), CASES, ids=[c[0].__name__ for c in CASES])
def test_each_hostile_file_opened_early_gets_the_same_error(tmp_path, build, code, words, worker):
    path = build(tmp_path)
    early_open.start(path, None)
    with pytest.raises(InputError) as caught:
        read_whole(path)
    assert caught.value.code == code, caught.value.message
    for word in words:
        assert word in caught.value.message


def test_a_file_changed_after_it_was_opened_is_read_afresh(tmp_path, worker):
    path = tmp_path / "return.xlsx"
    hostile.zip_bomb_ratio(tmp_path).rename(path)
    early_open.start(path, None)
    early_open._started[os.path.abspath(path)][1].join()
    os.replace(hostile.whole_sheet_dimension(tmp_path), path)  # a new file in its place
    assert read_whole(path)[3] == [(2, "E09000030", "2025-26")]


def test_a_sheet_other_than_the_one_opened_is_read_afresh(tmp_path, compiled_reads, worker):
    path = everything_workbook(tmp_path / "everything.xlsx")
    early_open.start(path, None)
    sheet, *_ = read_whole(path, "Lookups")
    assert sheet == "Lookups"
    assert early_open._started == {}
    early_open.start(path, "Lookups")
    assert read_whole(path)[0] == "resident-survey"  # asked for another sheet: read afresh


def test_the_command_line_opens_a_workbook_early_and_closes_what_it_did_not_use(tmp_path, capsys):
    path = everything_workbook(tmp_path / "everything.xlsx")
    assert main(["validate", str(path), "--format", "json"]) in (0, 1)
    report = json.loads(capsys.readouterr().out)
    assert report["sheet"] == "resident-survey"
    assert early_open._started == {}
    # an option refused before the file is read: what was opened early is closed
    assert main(["validate", str(path), "--borough", "nowhere", "--format", "json"]) == 2
    assert early_open._started == {}


def test_a_text_file_is_not_opened_early(tmp_path):
    path = tmp_path / "return.csv"
    path.write_text("respondent_id\nr1\n", encoding="utf-8")
    early_open.start(path, None)
    assert early_open._started == {}


def test_a_pipe_is_not_opened_early(tmp_path):
    pipe = tmp_path / "return.fifo"
    os.mkfifo(pipe)
    early_open.start(pipe, None)  # would block, or take the first bytes, if it opened it
    assert early_open._started == {}


def test_what_is_dropped_while_being_read_is_closed(tmp_path, worker):
    path = everything_workbook(tmp_path / "everything.xlsx")
    early_open.start(path, None)
    opened, started = early_open._started[os.path.abspath(path)]
    early_open.drop_all()  # does not wait for the read
    started.join()
    assert opened.handle.closed
    assert opened.compiled is None
    if worker == "process":
        assert started.pid == 0  # stopped and reaped: no process left behind


def test_a_child_process_sends_the_plain_sheet_and_is_reaped(tmp_path, monkeypatch):
    monkeypatch.setattr(early_open, "may_fork", lambda: True)
    path = everything(tmp_path)  # a plain sheet: the child reads it
    late = read_whole(path)
    early_open.start(path, None)
    child = early_open._started[os.path.abspath(path)][1]
    pid = child.pid
    opened = early_open.take(path, None)
    early_open.drop_all()  # collects a child that was still ending
    assert pid != os.getpid() and child.pid == 0
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped
    assert opened.sheet == "resident-survey"
    assert type(opened.compiled).__name__ == "PlainSheet"
    assert opened.facts.kept == {}  # the inflated parts stayed in the child
    opened.close()
    early_open.start(path, None)
    assert read_whole(path) == late


def test_no_process_is_forked_while_another_thread_runs(monkeypatch):
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not early_open.may_fork()
    finally:
        stop.set()
        other.join()
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # (other tests may leave threads)
    assert early_open.may_fork() == sys.platform.startswith("linux")


def test_a_workbook_opened_early_is_opened_again_only_for_its_version_stamp(
    tmp_path, monkeypatch, worker
):
    path = everything_workbook(tmp_path / "everything.xlsx")
    early_open.start(path, None)
    opened = []
    real_open = io.open

    def counting_open(file, *args, **kwargs):
        if isinstance(file, str | os.PathLike) and os.fspath(file) == os.fspath(path):
            opened.append(file)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", counting_open)
    monkeypatch.setattr(builtins, "open", counting_open)
    report = validate(path)
    assert report.sheet == "resident-survey"
    assert len(opened) == 1  # the custom properties part, for the template's version stamp


def test_waiting_for_the_checks_returns_once_they_are_over_passed_or_failed(tmp_path, monkeypatch):
    monkeypatch.setattr(
        early_open, "may_fork", lambda: False
    )  # a child's checks are not waited for
    good = everything_workbook(tmp_path / "everything.xlsx")
    bomb = hostile.zip_bomb_ratio(tmp_path)
    early_open.start(good, None)
    early_open.start(bomb, None)
    early_open.wait_for_checks()
    checked = {os.path.basename(key): opened for key, (opened, _) in early_open._started.items()}
    assert checked["everything.xlsx"].facts is not None
    assert checked[bomb.name].error is not None  # refused: a zip bomb
    early_open.drop_all()
