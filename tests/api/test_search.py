import pytest

# Lay titles (and misspellings of them) → the SOC occupation a person typing them means.
LAY_TITLES = {
    "nurse": "29-1141",
    "RN": "29-1141",
    "registered nurse": "29-1141",
    "nurce": "29-1141",
    "truck driver": "53-3032",
    "truk driver": "53-3032",
    "cashier": "41-2011",
    "casheir": "41-2011",
    "software engineer": "15-1252",
    "sofware developer": "15-1252",
    "senior software engineer": "15-1252",
    "electrician": "47-2111",
    "electrican": "47-2111",
    "plumbr": "47-2152",
    "lawyer": "23-1011",
    "attorney": "23-1011",
    "accountent": "13-2011",
    "CPA": "13-2011",
    "CNA": "31-1131",
    "LPN": "29-2061",
    "forklift driver": "53-7051",
    "data scientist": "15-2051",
    "waitress": "35-3031",
    "chef": "35-1011",
    "janitor": "37-2011",
    "pharmasist": "29-1051",
    "receptionist": "43-4171",
    "bartender": "35-3011",
    "firefighter": "33-2011",
    "police officer": "33-3051",
    "paralegal": "23-2011",
    "welder": "51-4121",
    "hairdresser": "39-5012",
    "web developer": "15-1254",
    "HR manager": "11-3121",
    "mail carrier": "43-5052",
    "security guard": "33-9032",
    "real estate agent": "41-9022",
    "barista": "35-3023",
    "flight attendant": "53-2031",
    "veterinarian": "29-1131",
    "bookkeeper": "43-3031",
    "customer service representative": "43-4051",
    # O*NET lists "Customer Service Rep" only as an alternate title of 41-3091: the short form is said in full.
    "customer service rep": "43-4051",
    "custmer service rep": "43-4051",
    "customer service reps": "43-4051",
    "Software Developers": "15-1252",
}


@pytest.mark.parametrize("query,soc_code", LAY_TITLES.items())
def test_lay_title_finds_the_occupation_first(client, query, soc_code):
    body = client.get("/api/v1/occupations", params={"search": query, "page_size": 5}).json()
    assert (body["search"], body["sort"], body["order"]) == (query, "relevance", "desc")
    assert body["items"], f"nothing found for {query!r}"
    assert body["items"][0]["soc_code"] == soc_code, [(i["soc_code"], i["match"]) for i in body["items"]]


def test_search_explains_the_match(client):
    first = client.get("/api/v1/occupations", params={"search": "RN"}).json()["items"][0]
    assert first["match"]["term"] == "RN" and first["match"]["kind"] == "short_title"
    # A title incumbents reported (Sample of Reported Titles), which O*NET also lists as an alternate title.
    first = client.get("/api/v1/occupations", params={"search": "truck driver"}).json()["items"][0]
    assert first["match"]["term"] == "Truck Driver" and first["match"]["kind"] == "reported_title"
    first = client.get("/api/v1/occupations", params={"search": "cashiers"}).json()["items"][0]
    assert first["match"]["term"] == "Cashiers" and first["match"]["kind"] == "title"
    relevances = [
        i["match"]["relevance"]
        for i in client.get("/api/v1/occupations", params={"search": "nurse", "page_size": 50}).json()[
            "items"
        ]
    ]
    assert relevances == sorted(relevances, reverse=True)


def test_search_results_page_consistently(client):
    pages, page = [], 1
    while True:
        body = client.get(
            "/api/v1/occupations", params={"search": "manager", "page": page, "page_size": 9}
        ).json()
        pages += [i["soc_code"] for i in body["items"]]
        if page >= body["pagination"]["pages"]:
            break
        page += 1
    whole = client.get("/api/v1/occupations", params={"search": "manager", "page_size": 100}).json()
    assert whole["pagination"]["total"] == len(pages) == len(set(pages)) > 50
    assert pages[:100] == [i["soc_code"] for i in whole["items"]]


def test_search_can_be_sorted_by_another_key(client):
    body = client.get(
        "/api/v1/occupations", params={"search": "nurse", "sort": "employment", "page_size": 100}
    ).json()
    employment = [i["employment"] for i in body["items"] if i["employment"] is not None]
    assert employment == sorted(employment, reverse=True)
    by_relevance = client.get("/api/v1/occupations", params={"search": "nurse", "page_size": 100}).json()
    assert {i["soc_code"] for i in body["items"]} == {i["soc_code"] for i in by_relevance["items"]}
    assert body["pagination"]["total"] == by_relevance["pagination"]["total"]


def test_accents_and_control_characters_are_harmless(client):
    body = client.get("/api/v1/occupations", params={"search": "N\u00fcrse\u0094!"}).json()
    assert body["search"] == "N\u00fcrse\u0094!"
    assert body["items"][0]["soc_code"] == "29-1141"
    # but a NUL is no text (PostgreSQL cannot hold it): refused, as in every parameter
    assert client.get("/api/v1/occupations", params={"search": "N\u00fcrse\x00"}).status_code == 422


@pytest.mark.parametrize("query", ["xyzzyq", "!!!", "the of and"])
def test_search_without_any_match_is_empty(client, query):
    body = client.get("/api/v1/occupations", params={"search": query}).json()
    assert body["items"] == [] and body["pagination"]["total"] == 0


def test_blank_search_lists_everything(client):
    body = client.get("/api/v1/occupations", params={"search": "   "}).json()
    assert body["pagination"]["total"] == 867 and body["sort"] == "ai"
