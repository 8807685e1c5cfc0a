"""A local stand-in for the USAJOBS Search API (GET /api/search), answering the JSON its documentation
describes (SearchResult.SearchResultItems[].MatchedObjectDescriptor, UserArea.NumberOfPages) and
refusing requests without the key and the registered e-mail (HTTP 401)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

API_KEY = "test-usajobs-key"
EMAIL = "jobs-research@example.org"


def descriptor(n: int) -> dict:
    titles = ["Medical Support Assistant", "IT Specialist (SYSADMIN)", "Park Ranger"]
    duties = [
        [
            "Schedules patient appointments and maintains medical records",
            "Greets patients and verifies insurance",
        ],
        ["Installs, configures and maintains servers and operating systems", "Monitors system performance"],
        ["Leads interpretive programs for park visitors", "Patrols park areas to enforce regulations"],
    ]
    i = (n - 1) % 3
    return {
        "PositionID": f"VA-26-{1000 + n}",
        "PositionTitle": titles[i],
        "PositionURI": f"https://www.usajobs.gov:443/GetJob/ViewDetails/{800000 + n}",
        "ApplyURI": [f"https://www.usajobs.gov:443/GetJob/ViewDetails/{800000 + n}?PostingChannelID="],
        "PositionLocationDisplay": "Denver, Colorado",
        "PositionLocation": [
            {
                "LocationName": "Denver, Colorado",
                "CountryCode": "United States",
                "CityName": "Denver, Colorado",
            }
        ],
        "OrganizationName": "Veterans Health Administration",
        "DepartmentName": "Department of Veterans Affairs",
        "JobCategory": [{"Name": "Medical Support Assistance", "Code": "0679"}],
        "JobGrade": [{"Code": "GS"}],
        "PositionSchedule": [{"Name": "Full-time", "Code": "1"}],
        "PositionOfferingType": [{"Name": "Permanent", "Code": "15317"}],
        "QualificationSummary": "You must have one year of specialized experience.",
        "PositionRemuneration": [
            {
                "MinimumRange": "43033.0",
                "MaximumRange": "55942.0",
                "RateIntervalCode": "PA",
                "Description": "Per Year",
            }
        ],
        "PositionStartDate": "2026-11-20T00:00:00.0000",
        "PositionEndDate": "2026-12-04T23:59:59.9970",
        "PublicationStartDate": "2026-11-20T00:00:00.0000",
        "ApplicationCloseDate": "2026-12-04T23:59:59.9970",
        "UserArea": {
            "Details": {
                "JobSummary": f"This position is located at the Rocky Mountain Regional VA Medical Center ({titles[i]}).",
                "MajorDuties": duties[i],
                "Education": "",
                "Requirements": "U.S. Citizenship",
                "LowGrade": "5",
                "HighGrade": "6",
            },
            "IsRadialSearch": False,
        },
    }


@dataclass
class FakeUsajobs:
    n_items: int = 5
    per_page: int = 3
    fail_first: int = 1  # the first request answers 503 (a transient error the client retries)
    requests: list[dict] = field(default_factory=list)

    def page(self, number: int) -> dict:
        start = (number - 1) * self.per_page
        items = [
            {"MatchedObjectId": str(800000 + n), "MatchedObjectDescriptor": descriptor(n), "RelevanceRank": 0}
            for n in range(start + 1, min(start + self.per_page, self.n_items) + 1)
        ]
        n_pages = -(-self.n_items // self.per_page)
        return {
            "LanguageCode": "EN",
            "SearchParameters": {},
            "SearchResult": {
                "SearchResultCount": len(items),
                "SearchResultCountAll": self.n_items,
                "SearchResultItems": items,
                "UserArea": {"NumberOfPages": str(n_pages), "IsRadialSearch": False},
            },
        }

    def __enter__(self) -> FakeUsajobs:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                fake.requests.append(
                    {"path": url.path, "query": query, "headers": dict(self.headers.items())}
                )
                if len(fake.requests) <= fake.fail_first:
                    status, body = 503, {"error": "busy"}
                elif (
                    self.headers.get("Authorization-Key") != API_KEY
                    or self.headers.get("User-Agent") != EMAIL
                ):
                    status, body = 401, {"error": "Unauthorized"}
                elif url.path != "/api/search":
                    status, body = 404, {}
                else:
                    status, body = 200, fake.page(int(query.get("Page", "1")))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"
