"""The O*NET raw tables (onet_raw.*): one parent per file of defs/onet/files.py, LIST-partitioned by
data_version, primary key (data_version, line_no), the union of the columns of every header the file has
had. The loader used to make them on first load; it now only attaches each version's partition (made at load
time, `<table>__v<version>`) and makes the parent of a file no spec names yet (a newer release's).

Frozen here, not read from files.py: a header that adds a column needs a new revision (tests/test_migrations.py
compares these parents with files.py). IF NOT EXISTS: a database whose parents the loader made is adopted.

Revision ID: 0011
"""

from alembic import op

from occurisk_assets.migrations.sql import run_sql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# table: its columns after data_version and line_no, as "name type, ..."
PARENTS = {
    "occupation_data": "onetsoc_code text, title text, description text",
    "task_statements": "onetsoc_code text, task_id integer, task text, task_type text, incumbents_responding integer, date text, domain_source text",
    "task_ratings": "onetsoc_code text, task_id integer, scale_id text, category integer, data_value numeric, n integer, standard_error numeric, lower_ci_bound numeric, upper_ci_bound numeric, recommend_suppress text, date text, domain_source text",
    "alternate_titles": "onetsoc_code text, alternate_title text, short_title text, source_s text",
    "sample_of_reported_titles": "onetsoc_code text, reported_job_title text, shown_in_my_next_move text",
    "tasks_to_dwas": "onetsoc_code text, task_id integer, dwa_id text, date text, domain_source text",
    "dwa_reference": "element_id text, iwa_id text, dwa_id text, dwa_title text",
    "iwa_reference": "element_id text, iwa_id text, iwa_title text",
    "job_zones": "onetsoc_code text, job_zone integer, date text, domain_source text",
    "skills": "onetsoc_code text, element_id text, element_name text, scale_id text, data_value numeric, n integer, standard_error numeric, lower_ci_bound numeric, upper_ci_bound numeric, recommend_suppress text, not_relevant text, date text, domain_source text",
    "knowledge": "onetsoc_code text, element_id text, element_name text, scale_id text, data_value numeric, n integer, standard_error numeric, lower_ci_bound numeric, upper_ci_bound numeric, recommend_suppress text, not_relevant text, date text, domain_source text",
    "technology_skills": "onetsoc_code text, example text, commodity_code integer, commodity_title text, hot_technology text, in_demand text",
    "emerging_tasks": "onetsoc_code text, task text, category text, original_task_id integer, original_task text, date text, domain_source text",
    "related_occupations": "onetsoc_code text, related_onetsoc_code text, relatedness_tier text, index integer",
    "content_model_reference": "element_id text, element_name text, description text",
    "scales_reference": "scale_id text, scale_name text, minimum numeric, maximum numeric",
    "abilities": "onetsoc_code text, element_id text, element_name text, scale_id text, data_value numeric, n integer, standard_error numeric, lower_ci_bound numeric, upper_ci_bound numeric, recommend_suppress text, not_relevant text, date text, domain_source text",
    "work_activities": "onetsoc_code text, element_id text, element_name text, scale_id text, data_value numeric, n integer, standard_error numeric, lower_ci_bound numeric, upper_ci_bound numeric, recommend_suppress text, not_relevant text, date text, domain_source text",
    "work_context": "onetsoc_code text, element_id text, element_name text, scale_id text, category integer, data_value numeric, n integer, standard_error numeric, lower_ci_bound numeric, upper_ci_bound numeric, recommend_suppress text, not_relevant text, date text, domain_source text",
    "work_styles": "onetsoc_code text, element_id text, element_name text, scale_id text, data_value numeric, date text, domain_source text, n integer, standard_error numeric, lower_ci_bound numeric, upper_ci_bound numeric, recommend_suppress text",
    "work_values": "onetsoc_code text, element_id text, element_name text, scale_id text, data_value numeric, date text, domain_source text",
    "interests": "onetsoc_code text, element_id text, element_name text, scale_id text, data_value numeric, date text, domain_source text",
    "education_training_and_experience": "onetsoc_code text, element_id text, element_name text, scale_id text, category integer, data_value numeric, n integer, standard_error numeric, lower_ci_bound numeric, upper_ci_bound numeric, recommend_suppress text, date text, domain_source text",
    "education_training_and_experience_categories": "element_id text, element_name text, scale_id text, category integer, category_description text",
    "work_context_categories": "element_id text, element_name text, scale_id text, category integer, category_description text",
    "task_categories": "scale_id text, category integer, category_description text",
    "job_zone_reference": "job_zone integer, name text, experience text, education text, job_training text, examples text, svp_range text",
    "level_scale_anchors": "element_id text, element_name text, scale_id text, anchor_value integer, anchor_description text",
    "occupation_level_metadata": "onetsoc_code text, item text, response text, n integer, percent numeric, date text",
    "survey_booklet_locations": "element_id text, element_name text, survey_item_number text, scale_id text",
    "tools_used": "onetsoc_code text, example text, commodity_code integer, commodity_title text",
    "unspsc_reference": "commodity_code integer, commodity_title text, class_code integer, class_title text, family_code integer, family_title text, segment_code integer, segment_title text",
    "riasec_keywords": "element_id text, element_name text, keyword text, keyword_type text",
    "interests_illustrative_activities": "element_id text, element_name text, interest_type text, activity text",
    "interests_illustrative_occupations": "element_id text, element_name text, interest_type text, onetsoc_code text",
    "abilities_to_work_activities": "abilities_element_id text, abilities_element_name text, work_activities_element_id text, work_activities_element_name text",
    "abilities_to_work_context": "abilities_element_id text, abilities_element_name text, work_context_element_id text, work_context_element_name text",
    "skills_to_work_activities": "skills_element_id text, skills_element_name text, work_activities_element_id text, work_activities_element_name text",
    "skills_to_work_context": "skills_element_id text, skills_element_name text, work_context_element_id text, work_context_element_name text",
    "basic_interests_to_riasec": "basic_interests_element_id text, basic_interests_element_name text, riasec_element_id text, riasec_element_name text",
}


def parent_ddl(table: str, columns: str) -> str:
    quoted = ", ".join(
        f'"{name}" {sql_type}' for name, sql_type in (c.split(" ", 1) for c in columns.split(", "))
    )
    return (
        f"CREATE TABLE IF NOT EXISTS onet_raw.{table} (data_version text NOT NULL, line_no integer NOT NULL, "
        f"{quoted}, PRIMARY KEY (data_version, line_no)) PARTITION BY LIST (data_version);"
    )


def upgrade() -> None:
    run_sql(op, "\n".join(parent_ddl(table, columns) for table, columns in PARENTS.items()))


def downgrade() -> None:
    run_sql(op, "\n".join(f"DROP TABLE IF EXISTS onet_raw.{table} CASCADE;" for table in PARENTS))
