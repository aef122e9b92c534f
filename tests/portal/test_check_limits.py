"""A file that needs more memory or time than any return should costs its uploader a message,
never a worker: the check runs in a child process under limits the operator sets."""

from __future__ import annotations

import html
import json

import pytest
import requests
from conftest import Client, officer, round_id, start_portal, submission_id


@pytest.fixture(scope="module")
def tight_portal(tmp_path_factory):
    """A portal whose checks may use almost no memory beyond what the worker already holds."""
    yield from start_portal(tmp_path_factory.mktemp("tight"), CHECK_MEMORY_MB="1")


def test_a_check_over_its_memory_limit_is_refused_plainly_and_the_worker_keeps_serving(
    tight_portal, returns
):
    client = Client(tight_portal.base)
    client.sign_in(officer("E09000030"))
    data = returns[("E09000030", "resident-survey")]
    page = client.upload(round_id(client), "resident-survey", "survey.csv", data)
    assert page.status_code == 200
    assert "needed more time or memory than any return should" in html.unescape(page.text)
    saved = json.loads(client.get(f"/submissions/{submission_id(page)}/report.json").content)
    assert saved["status"] == "rejected"
    assert saved["input_error"]["code"] == "too-costly"
    for _ in range(4):  # both workers still answer
        assert requests.get(tight_portal.base + "/healthz", timeout=5).status_code == 200
    assert client.get("/").status_code == 200
