"""The code location as Dagster loads it, without a database: every domain found in the defs folder, the
expected assets, checks, sensors, schedules and jobs, and the dbt seams."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys

import dagster as dg
import pytest
from dagster import AssetKey

from occurisk_assets.dbt.project import dbt_project
from occurisk_assets.lib.settings import PROJECT_ROOT
from occurisk_assets.onet.files import SPECS

PYTHON_ASSETS = {
    "bls/bls_oews_metrics",
    "bls/bls_proj_metrics",
    "bls/nem_occupational_coverage",
    "bls/nem_onet_crosswalk",
    "bls/soc_2010_2018_crosswalk",
    "bls/soc_bls_link",
    "careers/occupation_similarity",
    "core/task_ai_score",
    "coder/occupation_coder",
    "coder/korean_occupation_terms",
    "text/onet_text_embeddings",
    "postings/collected",
    "postings/cleaned",
    "postings/coded",
    "postings/mix_drift",
    "version_diff",
    "version_activation",
}
# Partitioned by AEI release (× data_version): loaded and matched by their own sensor, outside the
# data_version job.
AEI_ASSETS = {"aei/release", "aei/task_match", "aei/validation_report"}
DBT_MODELS = {
    "stg_onet__occupations",
    "stg_onet__task_statements",
    "stg_onet__task_ratings",
    "stg_onet__job_zones",
    "stg_onet__skills",
    "stg_onet__knowledge",
    "stg_onet__abilities",
    "stg_onet__work_activities",
    "stg_onet__work_context",
    "stg_onet__tasks_to_dwas",
    "stg_onet__dwa_reference",
    "stg_onet__technology_skills",
    "stg_onet__related_occupations",
    "stg_onet__alternate_titles",
    "stg_onet__reported_titles",
    "stg_core__model_runs",
    "stg_core__task_ai_scores",
    "stg_bls__oews_metrics",
    "stg_bls__projections",
    "stg_bls__soc_links",
    "stg_careers__occupation_similarity",
    "int_task_ratings_pivoted_to_tasks",
    "int_tasks_weighted_within_occupations",
    "int_task_ai_scores_filtered_to_latest_run",
    "occupation_master",
    "task_statements",
    "occupation_task_ratings",
    "task_catalog",
    "occupation_task_weight",
    "weight_method_by_version",
    "task_ai_ensemble",
    "occupation_ai_score",
    "occupation_ai_score_by_model",
    "occupation_search_terms",
    "occupation_search_words",
    "occupation_summary",
    "occupation_related",
    "task_model_score",
    "soc_bls_metrics",
    "soc_descriptor_profile",
    "soc_detailed_work_activity",
    "soc_technology_skill",
    "occupation_transitions",
    # The AEI staging and intermediate models are ephemeral (dbt_project.yml): no asset of their own.
    "occupation_observed_use",
    "task_observed_use",
}
PYTHON_CHECKS = {
    "core/task_ai_score:scores_within_0_1",
    "core/task_ai_score:scored_tasks_in_catalog",
    "bls/bls_oews_metrics:oews_rows_match_sheet",
    "bls/bls_proj_metrics:proj_rows_match_sheet",
    "bls/soc_bls_link:soc_bls_link_targets_exist",
    "onet_raw/task_statements:rows_match_file",
    "onet_raw/occupation_data:every_occupation_has_soc_code",
    "version_activation:raw_rows_match_manifest",
    "version_activation:task_weights_sum_to_one",
    "version_activation:scoring_coverage",
    "careers/occupation_similarity:similarity_has_no_self_pairs",
    "careers/occupation_similarity:similarity_in_range_and_symmetric",
    "careers/occupation_similarity:similarity_covers_scored_socs",
    "occupation_transitions:transitions_cover_scored_socs",
    "aei/release:rows_match_files",
    "aei/task_match:match_rate",
}


@pytest.fixture(scope="module")
def repository():
    from occurisk_assets.definitions import defs

    return defs().get_repository_def()


def test_every_domain_is_found_in_the_defs_folder(repository):
    graph = repository.asset_graph
    materializable = {
        k.to_user_string() for k in graph.get_all_asset_keys() if graph.get(k).is_materializable
    }
    raw = {f"onet_raw/{spec.table}" for spec in SPECS}
    assert materializable == PYTHON_ASSETS | AEI_ASSETS | DBT_MODELS | raw
    # Observed, not built: the landing folder (release sensor), the scoring runs table and the AEI tables
    # other than the release asset's own name (dbt sources).
    external = {k.to_user_string() for k in graph.get_all_asset_keys() if not graph.get(k).is_materializable}
    assert external == {
        "onet_landing",
        "core/model_run",
        "aei/job_exposure",
        "aei/task_penetration",
        "aei/task_interaction",
    }


def test_checks_sensors_schedules_and_jobs(repository):
    checks = {f"{c.asset_key.to_user_string()}:{c.name}" for c in repository.asset_graph.asset_check_keys}
    assert checks >= PYTHON_CHECKS
    # dbt tests are checks of the models they test.
    assert "occupation_master:not_null_occupation_master_title" in checks
    assert {s.name for s in repository.sensor_defs} == {
        "onet_release_sensor",
        "dead_run_sensor",
        "aei_release_sensor",
        "run_failure_alert_sensor",
    }
    assert {s.name for s in repository.schedule_defs} == {
        "weekly_rescore",
        "daily_profile_retention",
        "daily_postings",
    }
    jobs = {j.name for j in repository.get_all_jobs() if not j.name.startswith("__")}
    assert jobs == {
        "data_version_pipeline",
        "bls_releases",
        "rescore_active_version",
        "retention_job",
        "profile_retention_job",
        "postings_daily",
        "aei_load",
        "aei_match",
    }
    assert repository.get_schedule_def("weekly_rescore").job_name == "rescore_active_version"


def test_a_lost_run_is_retried_once_from_its_first_step(repository):
    """dagster.yaml (read as Dagster reads it) re-runs a run whose worker was lost, not one a step failed;
    the data_version job's retry starts from its first step, which claims the version for the new run."""
    from dagster._core.instance.config import dagster_instance_config

    config, _ = dagster_instance_config(str(PROJECT_ROOT))
    assert config["run_retries"] == {"enabled": True, "max_retries": 1, "retry_on_asset_or_op_failure": False}
    assert config["run_monitoring"]["enabled"] is True
    assert repository.get_job("data_version_pipeline").tags["dagster/retry_strategy"] == "ALL_STEPS"
    run_failure_sensor = repository.get_sensor_def("run_failure_alert_sensor")
    assert run_failure_sensor.default_status == dg.DefaultSensorStatus.RUNNING


def test_runs_outside_the_cli_fork_their_steps_from_a_server_with_the_code_loaded(repository):
    """Every job, the implicit asset job of the UI's "Materialize" included: the multiprocess executor
    starting steps by forkserver with occurisk_assets/runs/step_preload.py, which builds these definitions."""
    import occurisk_assets.runs.step_preload  # noqa: F401  importing it builds the definitions, without a database
    from occurisk_assets.definitions import step_executor

    jobs = repository.get_all_jobs()
    assert "__ASSET_JOB" in {job.name for job in jobs}
    assert {job.executor_def.name for job in jobs} == {"multiprocess_forkserver"}
    assert all(job.executor_def is step_executor for job in jobs)


def test_the_shared_resources_are_bound_and_configured_from_the_environment(repository):
    from occurisk_assets.definitions import defs
    from occurisk_assets.resources import LLMProviders, MlflowTracking, PlatformDatabase

    assert {"database", "llm", "mlflow", "dbt"} <= set(repository.get_top_level_resources())
    resources = defs().resources
    assert isinstance(resources["database"], PlatformDatabase)
    assert isinstance(resources["llm"], LLMProviders)
    assert isinstance(resources["mlflow"], MlflowTracking)
    # URLs come from the environment when a run starts, never written into the definitions.
    assert resources["database"].url == dg.EnvVar("OCCURISK_PG_URL")
    assert resources["mlflow"].tracking_uri == dg.EnvVar("OCCURISK_MLFLOW_TRACKING_URI")
    graph = repository.asset_graph
    needs = {
        "core/task_ai_score": {"database", "llm", "mlflow"},
        "coder/occupation_coder": {"database", "mlflow"},
        "version_activation": {"database"},
        "careers/occupation_similarity": {"database"},
        "postings/coded": {"database"},
    }
    for key, required in needs.items():
        node = graph.get(AssetKey.from_user_string(key))
        assert required <= set(node.assets_def.required_resource_keys), key
    assert "database" in repository.get_sensor_def("onet_release_sensor").required_resource_keys
    assert {"database", "llm"} <= repository.get_schedule_def("weekly_rescore").required_resource_keys


def test_the_data_version_job_builds_every_data_version_asset_and_the_bls_tables(repository):
    selected = {
        k.to_user_string()
        for k in repository.get_job("data_version_pipeline").asset_layer.selected_asset_keys
    }
    raw = {f"onet_raw/{spec.table}" for spec in SPECS}
    assert (
        selected
        == (PYTHON_ASSETS - {a for a in PYTHON_ASSETS if a.startswith("postings/")}) | DBT_MODELS | raw
    )


def test_the_bls_releases_job_is_the_unpartitioned_release_tables(repository):
    """Run whole (the UI's "Materialize all"), it must not reach a data_version asset: those need a
    partition key the job does not have (the dbt models over the link failed that way)."""
    job = repository.get_job("bls_releases")
    selected = {k.to_user_string() for k in job.asset_layer.selected_asset_keys}
    assert selected == {a for a in PYTHON_ASSETS if a.startswith("bls/")} - {"bls/soc_bls_link"}
    assert job.partitions_def is None
    # Its steps: the five loads and the seven checks of the OEWS and projections tables.
    steps = {node.name for node in job.nodes}
    loads = {"bls__" + key.removeprefix("bls/") for key in selected}
    checks = steps - loads
    assert loads <= steps and len(checks) == 7
    assert all(check.startswith(("bls__bls_oews_metrics_", "bls__bls_proj_metrics_")) for check in checks)


def test_python_assets_meet_dbt_models_at_the_dbt_keys(repository):
    graph = repository.asset_graph
    assert AssetKey(["task_catalog"]) in graph.get(AssetKey(["core", "task_ai_score"])).parent_keys
    assert AssetKey(["occupation_master"]) in graph.get(AssetKey(["bls", "soc_bls_link"])).parent_keys
    # BLS is upstream of what needs it, unpartitioned: a run of any data_version partition loads it.
    assert AssetKey(["bls", "bls_oews_metrics"]) in graph.get(AssetKey(["bls", "soc_bls_link"])).parent_keys
    assert graph.get(AssetKey(["bls", "bls_oews_metrics"])).partitions_def is None
    similarity = AssetKey(["careers", "occupation_similarity"])
    assert {AssetKey(["soc_descriptor_profile"]), AssetKey(["occupation_summary"])} <= graph.get(
        similarity
    ).parent_keys
    staged_similarity = AssetKey(["stg_careers__occupation_similarity"])
    assert similarity in graph.get(staged_similarity).parent_keys
    assert {staged_similarity, AssetKey(["soc_bls_metrics"])} <= graph.get(
        AssetKey(["occupation_transitions"])
    ).parent_keys
    assert AssetKey(["bls", "soc_bls_link"]) in graph.get(AssetKey(["stg_bls__soc_links"])).parent_keys
    assert {AssetKey(["occupation_ai_score"]), AssetKey(["occupation_task_weight"])} <= graph.get(
        AssetKey(["version_activation"])
    ).parent_keys


def test_every_model_that_reads_scores_is_tagged_in_dbt_project_yml():
    """The dbt runs split on tag:scores; a model downstream of the scores without the tag would be built
    before the scores exist (and make the asset graph cyclic)."""
    manifest = json.loads(dbt_project.manifest_path.read_text())
    nodes = {k: v for k, v in manifest["nodes"].items() if v["resource_type"] == "model"}
    reads_scores: set[str] = set()
    changed = True
    while changed:
        changed = False
        for key, node in nodes.items():
            parents = node["depends_on"]["nodes"]
            if key not in reads_scores and any(
                p.startswith("source.occurisk.core.") or p in reads_scores for p in parents
            ):
                reads_scores.add(key)
                changed = True
    assert {nodes[k]["name"] for k in reads_scores} == {
        n["name"] for n in nodes.values() if "scores" in n["tags"]
    }
    sql_configs = [
        p for p in (PROJECT_ROOT / "dbt_project" / "models").rglob("*.sql") if "tags=" in p.read_text()
    ]
    assert sql_configs == [], "set tags in dbt_project.yml only"


def test_loading_the_definitions_leaves_the_environment_alone():
    probe = (
        "import os; before = dict(os.environ); from occurisk_assets.definitions import defs; defs(); "
        "print(sorted(k for k in os.environ if os.environ.get(k) != before.get(k)))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("OCCURISK_PG")}
    env.pop("OCCURISK_DAGSTER_PG_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"


def _imports_dagster(path) -> bool:
    tree = ast.parse(path.read_text())
    return any(
        (isinstance(node, ast.Import) and any(a.name.split(".")[0].startswith("dagster") for a in node.names))
        or (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0].startswith("dagster"))
        for node in tree.body
    )


def test_the_defs_folder_holds_only_dagster_code():
    """Request-time and domain code lives in occurisk_assets/<domain>/, shared infrastructure in lib/: what
    Dagster autoloads is its definitions (assets, checks, jobs, schedules, sensors) and nothing else."""
    defs = PROJECT_ROOT / "occurisk_assets" / "defs"
    modules = [p for p in defs.rglob("*.py") if p.name != "__init__.py"]
    assert len(modules) > 20
    assert [p.relative_to(defs).as_posix() for p in modules if not _imports_dagster(p)] == []


def test_no_module_outside_defs_declares_a_dagster_asset():
    declared = []
    for path in (PROJECT_ROOT / "occurisk_assets").rglob("*.py"):
        if "defs" in path.relative_to(PROJECT_ROOT / "occurisk_assets").parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for decorator in node.decorator_list:
                    target = decorator.func if isinstance(decorator, ast.Call) else decorator
                    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                    if name in {"asset", "multi_asset", "asset_check", "sensor", "schedule", "dbt_assets"}:
                        declared.append(f"{path.name}:{node.name}")
    assert declared == []
