"""The shapes of the codes the platform keys things by, each written once: SOC and O*NET-SOC occupation codes
and a profile's id. The patterns (for pydantic, FastAPI and PostgreSQL) take ASCII digits only, where `\\d`
and str.isdigit() also take other scripts' digits; Python code checks a value with the compiled form's
`fullmatch` (`$` alone would let a trailing newline through `match`)."""

import re

SOC_CODE_PATTERN = r"^[0-9]{2}-[0-9]{4}$"
ONETSOC_CODE_PATTERN = r"^[0-9]{2}-[0-9]{4}\.[0-9]{2}$"
PROFILE_ID_PATTERN = r"^[A-Za-z0-9_-]{20,64}$"

SOC_CODE = re.compile(SOC_CODE_PATTERN)
ONETSOC_CODE = re.compile(ONETSOC_CODE_PATTERN)
PROFILE_ID = re.compile(PROFILE_ID_PATTERN)
