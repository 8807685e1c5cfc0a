"""The BLS releases the platform knows, listed here because BLS publishes them once a year.

A list rather than discovered: a new release also needs its workbook checked against these parsers (BLS
changes headers and footnotes between years), so adding it is a reviewed one-line change here.
"""

# OEWS national estimates, keyed by reference month (always May): 'national_M2024_dl.xlsx' is '2024-05'.
OEWS_RELEASES = ["2022-05", "2023-05", "2024-05"]
# Employment Projections, keyed by period: 'occupation.xlsx' of the 2024–34 projections is '2024-2034'.
PROJECTION_PERIODS = ["2024-2034"]
