"""Environment → typed settings. Every knob of the platform is read here and nowhere else."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OCCURISK_", env_file=".env", extra="ignore")

    # An external server; when unset the embedded local server is used.
    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")
    # The other roles' URLs on such a server (docs/operations.md); derived from the owner's when unset.
    api_database_url: str | None = None
    dagster_database_url: str | None = None
    mlflow_database_url: str | None = None
    home: Path = PROJECT_ROOT / ".occurisk"
    pg_port: int = 54329
    pg_database: str = "occurisk"
    dagster_database: str = "dagster"
    mlflow_database: str = "mlflow"

    onet_source: str | None = None
    onet_landing: Path | None = None
    onet_default_version: str = "30.1"
    onet_download_base: str = "https://www.onetcenter.org/dl_files/database"
    rowcount_change_warn_pct: float = 10.0

    # Release lifecycle (defs/lifecycle; see docs/operations.md).
    release_sensor_interval_s: int = Field(default=300, ge=10)
    # A dropped release whose files changed less than this long ago is still being copied.
    landing_settle_s: float = Field(default=30.0, ge=0)
    onet_check_online: bool = False
    onet_database_page: str = "https://www.onetcenter.org/database.html"
    activation_min_coverage: float = Field(default=0.8, ge=0.0, le=1.0)
    retention_keep_versions: int = Field(default=4, ge=1)
    retention_keep_runs: int = Field(default=3, ge=1)  # per model and version
    archive_dir: Path | None = None
    # Meaning vectors of O*NET texts already encoded (occurisk_assets/text/vector_cache.py).
    vector_cache_dir: Path | None = None
    rescore_cron: str = "0 3 * * 1"
    rescore_budget_usd: float | None = Field(default=None, ge=0)
    # Where the run-failure sensor posts its alerts (Alertmanager's base URL); unset: failures only logged.
    alertmanager_url: str | None = None

    bls_dir: Path | None = None
    exposure_dir: Path | None = None
    # Anthropic Economic Index releases (occurisk_assets/aei): one folder per release.
    aei_dir: Path | None = None
    # A TOML file merged over the scoring package's models.toml (models, prices, limits, base_url).
    scoring_config: Path | None = None

    # Job postings (defs/postings; docs/operations.md "Job postings").
    postings_user_agent: str = "occurisk-postings/0.1 (job postings research crawler)"
    postings_delay_s: float = Field(default=2.0, ge=0)
    postings_max_pages: int = Field(default=200, ge=1)
    postings_max_bytes: int = Field(default=2_000_000, ge=1024)
    postings_timeout_s: float = Field(default=10.0, gt=0)
    postings_attempts: int = Field(default=3, ge=1)
    # A TOML file of crawl seeds, USAJOBS queries and forbidden hosts (default: the package's sources.toml).
    postings_sources: Path | None = None
    postings_min_confidence: float = Field(default=0.4, ge=0.0, le=1.0)
    postings_max_duplicate_rate: float = Field(default=0.5, ge=0.0, le=1.0)
    postings_min_coded_share: float = Field(default=0.5, ge=0.0, le=1.0)
    postings_cron: str = "0 2 * * *"
    usajobs_api_key: SecretStr | None = None
    usajobs_email: str | None = None
    usajobs_base_url: str = "https://data.usajobs.gov"
    # The assistant (profiles: personal data): unopened profiles are deleted after this many days; one LLM
    # rewording of a résumé may cost at most this much.
    assistant_retention_days: int = Field(default=30, ge=1)
    assistant_llm_max_call_usd: float = Field(default=0.05, ge=0)
    assistant_retention_cron: str = "17 4 * * *"

    openai_api_key: SecretStr | None = Field(default=None, validation_alias="OPENAI_API_KEY")
    anthropic_api_key: SecretStr | None = Field(default=None, validation_alias="ANTHROPIC_API_KEY")

    @property
    def pgdata(self) -> Path:
        return self.home / "postgres" / "data"

    @property
    def landing_dir(self) -> Path:
        return self.onet_landing or (self.home / "landing")

    @property
    def archive_path(self) -> Path:
        return self.archive_dir or (self.home / "archive")

    @property
    def vector_cache_path(self) -> Path:
        return self.vector_cache_dir or (self.home / "cache")

    @property
    def shared_onet(self) -> Path:
        return SHARED_DATA / "onet"

    @property
    def bls_data_dir(self) -> Path:
        return self.bls_dir or (SHARED_DATA / "bls")

    @property
    def exposure_data_dir(self) -> Path:
        return self.exposure_dir or (SHARED_DATA / "exposure" / "gpts_are_gpts")

    @property
    def aei_release_roots(self) -> list[Path]:
        """Where AEI release folders are looked for: the data folder, then the landing folder."""
        return [
            self.aei_dir or (SHARED_DATA / "exposure" / "anthropic_economic_index"),
            self.landing_dir / "aei",
        ]


@lru_cache
def get_settings() -> Settings:
    return Settings()
