"""/metrics of `occurisk serve` as `make run` starts it (two workers, multiprocess metrics): route templates,
never a profile id or a person's words; the response cache's hits; the assistant's counters."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.api.test_serve import served_as_make_run_serves

FREE_TEXT = "zebrafinch nightshift secret"


def samples(text: str) -> dict[tuple[str, tuple], float]:
    """Every sample of a /metrics answer as (name, sorted labels) → value."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_metrics_name_route_templates_never_a_profile_id_or_a_query(built_database, tmp_path):
    with served_as_make_run_serves(built_database, tmp_path / "serve.log") as base:
        job = {"soc_code": "43-4051", "title": "CSR", "start_year": 2000}
        profile_id = httpx.post(f"{base}/api/v1/profiles", json={"jobs": [job]}).json()["id"]
        for path in (
            f"/api/v1/profiles/{profile_id}",
            f"/my-work/{profile_id}/exposure",
            f"/my-work/{profile_id}/no-such-page",
            f"/api/v1/occupations?q={FREE_TEXT}",
            f"/search?q={FREE_TEXT}",
            f"/{FREE_TEXT.replace(' ', '-')}",
        ):
            assert httpx.get(base + path).status_code in (200, 404), path
        for _ in range(4):  # two workers, each with its own cache: at least one hit
            assert httpx.get(f"{base}/api/v1/occupations/15-1252").status_code == 200
        response = httpx.get(f"{base}/metrics")
    assert response.status_code == 200
    text = response.text
    assert profile_id not in text
    for word in FREE_TEXT.split():
        assert word not in text
    found = samples(text)

    def requests(route: str, method: str, status_class: str) -> float:
        labels = (("method", method), ("route", route), ("status_class", status_class))
        return found.get(("occurisk_http_requests_total", labels), 0)

    assert requests("/api/v1/profiles", "POST", "2xx") == 1
    assert requests("/api/v1/profiles/{profile_id}", "GET", "2xx") == 1
    assert requests("/my-work/{profile_id}/exposure", "GET", "2xx") == 1
    assert requests("/api/v1/occupations", "GET", "2xx") == 1
    assert requests("/api/v1/occupations/{soc_code}", "GET", "2xx") == 4
    assert requests("(no route)", "GET", "4xx") == 2
    assert found[("occurisk_response_cache_requests_total", (("result", "hit"),))] >= 1
    assert found[("occurisk_http_request_duration_seconds_count", (("route", "/search"),))] == 1
    # The platform's figures, read from PostgreSQL at the scrape (api/platform_metrics.py).
    assert found[("occurisk_platform_metrics_up", ())] == 1
    assert found[("occurisk_release_builds", (("status", "complete"),))] >= 1
    # The coder the pipeline trained and registered, its held-out accuracy as the API role reads it.
    held_out = {
        dict(labels)["model_version"]: value
        for (name, labels), value in found.items()
        if name == "occurisk_coder_heldout_accuracy" and ("k", "top1") in labels
    }
    assert held_out and all(v.startswith("occurisk-occupation-coder-30.1/") for v in held_out), held_out
    assert all(0 < accuracy <= 1 for accuracy in held_out.values()), held_out
