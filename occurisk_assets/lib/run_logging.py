"""What a run started by the `occurisk` command prints in the terminal: Dagster's INFO events, each on one
line. A failed step's message carries its error's stack; the terminal gets its first line (the command
then ends with the one line that names the error), the run's event log in the Dagster UI keeps all of it."""

import logging
import sys

import dagster as dg

CLI_LOGGER = "cli"


class FirstLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).splitlines()[0]


@dg.logger(
    config_schema={"log_level": dg.Field(str, default_value="INFO")},
    description="One line per event on stderr, for runs started from the terminal.",
)
def cli_console_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.Logger("occurisk", level=init_context.logger_config["log_level"])
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(FirstLineFormatter("%(asctime)s - %(levelname)s - %(message)s", "%H:%M:%S"))
    logger.addHandler(handler)
    return logger
