"""Small pure pieces: output parsing, pacing, backoff, budget, Retry-After, config, prompt, call key,
the published labels' loader and matcher, agreement metrics."""

from __future__ import annotations

import functools
import math
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from occurisk_assets.lib.llm_providers.base import parse_retry_after
from occurisk_assets.lib.llm_providers.limits import BudgetGuard, RateLimiter, backoff_delay_s
from occurisk_assets.lib.settings import get_settings
from occurisk_assets.scoring.agreement import agreement, bin_scores, distribution
from occurisk_assets.scoring.cache import call_key
from occurisk_assets.scoring.catalog import CatalogTask
from occurisk_assets.scoring.config import PublishedConfig, RetryConfig, load_scoring_config
from occurisk_assets.scoring.parsing import InvalidOutput, parse_score_output
from occurisk_assets.scoring.prompt import load_prompt
from occurisk_assets.scoring.published import labelset_path, load_labelset, rate_tasks

# -- parsing --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, score",
    [
        ('{"score": 0.35, "rationale": "drafting"}', 0.35),
        ('{"score": 1, "rationale": "all of it"}', 1.0),
        ('```json\n{"score": 0, "rationale": "hands-on"}\n```', 0.0),
    ],
)
def test_valid_replies_parse(text, score):
    assert parse_score_output(text).score == score


@pytest.mark.parametrize(
    "text, kind",
    [
        ("", "malformed_output"),
        ("about half", "malformed_output"),
        ("[0.5]", "malformed_output"),
        ('{"score": "0.5"}', "malformed_output"),
        ('{"score": true}', "malformed_output"),
        ('{"rationale": "no score"}', "malformed_output"),
        ('{"score": 0.5, "rationale": 3}', "malformed_output"),
        ('{"score": 1.01}', "out_of_range"),
        ('{"score": -0.01}', "out_of_range"),
        ('{"score": NaN}', "out_of_range"),
    ],
)
def test_invalid_replies_are_classified(text, kind):
    with pytest.raises(InvalidOutput) as raised:
        parse_score_output(text)
    assert raised.value.kind == kind


# -- limits ---------------------------------------------------------------------------------------------


def _elapsed_s(started: float) -> float:
    return time.monotonic() - started


def test_the_rate_limiter_paces_requests_per_minute():
    limiter = RateLimiter(600, 10**9)  # 10 per second, a bucket of 10
    started = time.monotonic()
    for _ in range(10):
        limiter.acquire(1)
    assert _elapsed_s(started) < 0.1  # a full bucket at once
    for _ in range(5):
        limiter.acquire(1)
    assert 0.49 <= _elapsed_s(started) < 1.0  # then one every 0.1 s


def test_the_rate_limiter_paces_tokens_per_minute():
    limiter = RateLimiter(10**6, 60_000)  # 1000 tokens per second, a bucket of 1000
    started = time.monotonic()
    limiter.acquire(1500)  # larger than the bucket: all of it, then 500 more
    assert 0.49 <= _elapsed_s(started) < 1.0
    limiter.acquire(250)
    assert 0.74 <= _elapsed_s(started) < 1.25
    limiter.correct_tokens(estimated=250, actual=500)  # the call used 250 more than estimated
    assert 0.99 <= _elapsed_s(started) < 1.5
    limiter.correct_tokens(estimated=250, actual=100)  # an unused estimate is not refunded
    limiter.acquire(250)
    assert 1.24 <= _elapsed_s(started) < 1.75


def test_backoff_honours_retry_after_and_grows_exponentially():
    retry = RetryConfig(base_delay_s=1.0, max_delay_s=8.0, max_retry_after_s=30.0)
    assert backoff_delay_s(1, retry, 12.0, rng=lambda: 0.0) == 12.0
    assert backoff_delay_s(1, retry, 12.0, rng=lambda: 1.0) == pytest.approx(13.2)
    assert backoff_delay_s(1, retry, 120.0, rng=lambda: 0.0) == 30.0
    assert [backoff_delay_s(n, retry, None, rng=lambda: 0.0) for n in range(1, 6)] == [0.5, 1, 2, 4, 4]
    assert [backoff_delay_s(n, retry, None, rng=lambda: 1.0) for n in range(1, 6)] == [1, 2, 4, 8, 8]


def test_retry_after_headers():
    assert parse_retry_after({"Retry-After": "3"}) == 3.0
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert parse_retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:10 GMT"}, now=1445412480.0) == 10.0
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None


def test_the_budget_refuses_a_reservation_that_could_exceed_it():
    budget = BudgetGuard(1.0)
    assert budget.try_reserve(0.6)
    assert not budget.try_reserve(0.5)
    budget.settle(0.6, 0.1)
    assert budget.try_reserve(0.5) and budget.try_reserve(0.4)
    assert not budget.try_reserve(0.01)
    assert BudgetGuard(None).try_reserve(10**9)


# -- config, prompt, call key ----------------------------------------------------------------------------


def test_an_override_file_changes_only_what_it_names(tmp_path):
    override = tmp_path / "prices.toml"
    override.write_text(
        '[models."openai:gpt-4.1-mini"]\ninput_usd_per_mtok = 9.5\nbase_url = "http://localhost:8000/v1"\n'
    )
    config = load_scoring_config(override)
    model = config.model("openai:gpt-4.1-mini")
    assert (model.input_usd_per_mtok, model.output_usd_per_mtok) == (9.5, 1.60)
    assert model.base_url == "http://localhost:8000/v1"
    assert model.cost_usd(1_000_000, 0) == 9.5 and model.cost_usd(1_000_000, 0, batch=True) == 4.75


def test_a_bad_override_names_the_file_and_the_field(tmp_path):
    override = tmp_path / "bad.toml"
    override.write_text('[models."openai:gpt-4.1-mini"]\nconcurrency = 0\n')
    with pytest.raises(ValueError, match=r"(?s)bad.toml.*concurrency"):
        load_scoring_config(override)
    override.write_text("[models\n")
    with pytest.raises(ValueError, match=r"bad.toml: invalid TOML"):
        load_scoring_config(override)


def test_the_prompt_renders_and_the_call_key_tracks_every_part_of_it():
    config = load_scoring_config()
    prompt = load_prompt("task-exposure-v1")
    rendered = prompt.render(
        occupation_title="Chief Executives", task_statement="Approve budgets. {not a field}"
    )
    assert rendered.user == "Occupation: Chief Executives\nTask: Approve budgets. {not a field}"
    assert rendered.max_input_tokens >= len(rendered.text.encode())
    model = config.model("openai:gpt-4.1-mini")
    key = call_key(model, rendered)
    assert key == call_key(
        model,
        prompt.render(occupation_title="Chief Executives", task_statement="Approve budgets. {not a field}"),
    )
    assert key != call_key(
        model, prompt.render(occupation_title="Chief Executives", task_statement="Approve budgets.")
    )
    assert key != call_key(model.model_copy(update={"model_version": "other"}), rendered)
    assert key != call_key(config.model("anthropic:claude-haiku-4-5"), rendered)
    with pytest.raises(ValueError, match="no prompt file for prompt_version 'task-exposure-v9'"):
        load_prompt("task-exposure-v9")


# -- published labels -----------------------------------------------------------------------------------

HEADER = (
    "\tO*NET-SOC Code\tTask ID\tTask\tTask Type\tTitle\thuman_exposure_agg\tgpt4_exposure\t"
    "gpt4_exposure_alt_rubric\tgpt_3_relevant\tgpt4_automation\talpha\tbeta\tgamma\tautomation\thuman_labels\n"
)


def _labels_file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "full_labelset.tsv"
    path.write_text(HEADER + "".join(rows))
    return path


def _row(i: int, code: str, task_id: str, text: str, human="E0", gpt4="E1", automation="T2") -> str:
    fields = [
        i,
        code,
        task_id,
        text,
        "Core",
        "Title",
        human,
        gpt4,
        gpt4,
        False,
        automation,
        0,
        0,
        0,
        0,
        human,
    ]
    return "\t".join(map(str, fields)) + "\n"


def test_the_real_labelset_loads():
    labelset = load_labelset(get_settings().exposure_data_dir / "full_labelset.tsv")
    assert len(labelset.labels) == 19_265
    first = labelset.labels[0]
    assert (first.line_no, first.onetsoc_code, first.task_id) == (2, "11-1011.00", 8823)
    quoted = next(label for label in labelset.labels if label.task_id == 15287)
    assert quoted.task_text == 'Conduct "head counts" to help predict the outcome of upcoming votes.'


@pytest.mark.parametrize(
    "row, message",
    [
        (
            _row(0, "11-1011.00", "88x3.0", "Task"),
            r"full_labelset.tsv:2: column 'Task ID': '88x3.0' is not a number",
        ),
        (
            _row(0, "11-1011.00", "8823.5", "Task"),
            r"full_labelset.tsv:2: column 'Task ID': '8823.5' is not a whole",
        ),
        (
            _row(0, "11-1011.00", "8823.0", "Task", gpt4="E3"),
            r"full_labelset.tsv:2: column 'gpt4_exposure': unknown label 'E3'",
        ),
        ("0\t11-1011.00\t8823.0\n", r"full_labelset.tsv:2: 3 fields, the header has 16"),
    ],
)
def test_a_bad_label_file_names_the_file_line_and_column(tmp_path, row, message):
    path = _labels_file(tmp_path, _row(0, "11-1011.00", "1.0", "ok"))
    path.write_text(HEADER + row)
    with pytest.raises(ValueError, match=message):
        load_labelset(path)


def test_a_label_file_without_a_column_is_refused(tmp_path):
    path = tmp_path / "full_labelset.tsv"
    path.write_text(HEADER.replace("gpt4_automation", "automation_gpt4"))
    with pytest.raises(ValueError, match=r"full_labelset.tsv:1: missing columns \['gpt4_automation'\]"):
        load_labelset(path)


def test_matching_by_id_then_by_text_within_the_occupation(tmp_path):
    labelset = load_labelset(
        _labels_file(
            tmp_path,
            _row(0, "11-1011.00", "100.0", "Approve the budget.", gpt4="E2"),
            _row(1, "11-1011.00", "101.0", "Sign contracts, leases and agreements.", gpt4="E1"),
            _row(2, "11-1011.00", "102.0", "Travel to sites.", gpt4="E0"),
            _row(3, "11-1011.00", "103.0", "Travel to sites", gpt4="E1"),  # same text, other label: ambiguous
            _row(4, "13-2011.00", "104.0", "Audit the books.", gpt4="E1"),
        )
    )
    config = load_scoring_config()

    def task(task_id, code, text):
        return CatalogTask(task_id, code, "Chief Executives", text, task_id)

    tasks = [
        task(100, "11-1011.00", "A reworded statement keeps its ID."),  # id match wins over text
        task(900, "11-1011.00", "sign contracts, leases, and agreements"),  # renumbered: text match
        task(901, "11-1011.00", "Travel to sites."),  # two ratings disagree: unscored
        task(902, "11-1011.00", "Audit the books."),  # rated text, but in another occupation: unscored
    ]
    scored, unscored = rate_tasks(tasks, labelset, config.model("published:gpt4_exposure"))
    assert [(s.task.task_id, s.score, s.method) for s in scored] == [(100, 0.5, "id"), (900, 1.0, "text")]
    assert scored[1].raw_json_ref == "gpts-are-gpts:full_labelset.tsv#L3:gpt4_exposure=E1:match=text"
    assert [t.task_id for t in unscored] == [901, 902]
    automation, _ = rate_tasks(tasks[:1], labelset, config.model("published:gpt4_automation"))
    assert automation[0].score == 0.5  # T2


# -- agreement ------------------------------------------------------------------------------------------


def test_agreement_metrics():
    a = np.array([0.0, 0.25, 0.5, 0.75, 1.0, 1.0])
    assert agreement(a, a).metrics() == pytest.approx(
        {"n_tasks": 6, "spearman": 1.0, "pearson": 1.0, "cohen_kappa": 1.0, "mean_abs_diff": 0.0}
    )
    b = np.array([0.0, 0.0, 0.5, 1.0, 1.0, 0.5])
    result = agreement(a, b)
    assert result.mean_abs_diff == pytest.approx((0 + 0.25 + 0 + 0.25 + 0 + 0.5) / 6)
    # kappa: observed 3/6 equal bins; chance = sum over bins of p_a * p_b
    pa = np.array([1, 1, 1, 1, 2]) / 6
    pb = np.array([2, 0, 2, 0, 2]) / 6
    expected = (0.5 - pa @ pb) / (1 - pa @ pb)
    assert result.cohen_kappa == pytest.approx(expected)
    assert agreement(np.array([0.5, 0.5]), np.array([0.5, 0.5])).cohen_kappa is None  # undefined
    constant = agreement(np.array([0.5, 0.5]), np.array([0.1, 0.9]))
    assert constant.spearman is None and constant.pearson is None


def test_distribution_and_bins():
    assert list(bin_scores(np.array([0.0, 0.12, 0.13, 0.5, 0.88, 1.0]))) == [0, 0, 1, 2, 4, 4]
    d = distribution(np.array([0.0, 0.5, 1.0, 1.0]))
    assert d["score_mean"] == 0.625 and d["score_share_bin_1.00"] == 0.5 and d["score_share_bin_0.25"] == 0
    assert math.isclose(d["score_p50"], 0.75)


def test_the_labels_are_downloaded_once_when_the_shared_folder_is_absent(tmp_path, monkeypatch):
    served = tmp_path / "served"
    served.mkdir()
    _labels_file(served, _row(0, "11-1011.00", "8823.0", "Direct budgets."))
    requests = []

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            requests.append(self.path)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(served)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    monkeypatch.setenv("OCCURISK_EXPOSURE_DIR", str(tmp_path / "absent"))
    monkeypatch.setenv("OCCURISK_HOME", str(tmp_path / "home"))
    get_settings.cache_clear()
    try:
        config = PublishedConfig(download_url=f"http://127.0.0.1:{httpd.server_address[1]}/full_labelset.tsv")
        path = labelset_path(config)
        assert path == tmp_path / "home" / "downloads" / "gpts_are_gpts" / "full_labelset.tsv"
        assert [label.task_id for label in load_labelset(path).labels] == [8823]
        assert labelset_path(config) == path and len(requests) == 1  # the second call uses the download

        missing = PublishedConfig(download_url=f"http://127.0.0.1:{httpd.server_address[1]}/nothing.tsv")
        (tmp_path / "home" / "downloads" / "gpts_are_gpts" / "full_labelset.tsv").unlink()
        with pytest.raises(
            FileNotFoundError, match=r"absent/full_labelset.tsv is absent and downloading .*nothing"
        ):
            labelset_path(missing)
    finally:
        httpd.shutdown()
        monkeypatch.undo()
        get_settings.cache_clear()
