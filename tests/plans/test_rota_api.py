"""The visit rota through the API: the sample, routes with travel, edits, re-plans, why-nots."""

from __future__ import annotations

from datetime import datetime

from fastapi.testclient import TestClient

from tests.plans.conftest import SmallInspection, solve


def test_the_rota_visits_every_type_asked_with_one_inspector_per_visit(
    client: TestClient, small: SmallInspection
) -> None:
    job = solve(client, small.url, "rota")
    assert job["report"]["coverage_met"] is True
    version = client.get(f"{small.url}/rota/versions/{job['result_version']}").json()
    visits = version["plan"]["visits"]
    assert {v["setting_id"] for v in visits} >= {small.settings["special"]}  # the must-visit
    assert len({v["setting_id"] for v in visits}) == len(visits)  # no setting twice
    for visit in visits:
        start, end = (datetime.fromisoformat(visit[k]) for k in ("start", "end"))
        assert start.date().isoformat() in ("2026-12-09", "2026-12-10")  # Wednesday, Thursday
        assert (end - start).total_seconds() <= 3 * 3600
    assert version["violations"] == []


def test_each_inspector_route_starts_and_ends_at_base_with_travel_between(
    client: TestClient, small: SmallInspection
) -> None:
    number = solve(client, small.url, "rota")["result_version"]
    view = client.get(
        f"{small.url}/rota/versions/{number}/timetable", params={"by": "inspector"}
    ).json()
    assert view["routes"]
    for route in view["routes"]:
        legs = route["legs"]
        assert legs[0]["origin"].startswith("base:") and legs[-1]["destination"].startswith("base:")
        for before, after in zip(legs, legs[1:], strict=False):
            assert datetime.fromisoformat(after["depart"]) >= datetime.fromisoformat(
                before["arrive"]
            )


def test_the_setting_contact_is_invited_and_told_whom_to_gather(
    client: TestClient, small: SmallInspection
) -> None:
    candidates = client.get(
        f"{small.url}/visit-candidates", params={"setting_id": small.settings["primary"]}
    ).json()["items"]
    client.patch(f"{small.url}/visit-candidates/{candidates[0]['id']}", json={"must_visit": True})
    number = solve(client, small.url, "rota")["result_version"]
    groups = client.get(
        f"{small.url}/rota/versions/{number}/timetable", params={"by": "setting"}
    ).json()["groups"]
    primary = groups[str(small.settings["primary"])]
    people = {a["person_id"] for a in primary[0]["attendees"]}
    assert small.people["head_teacher"] in people
    assert any("gather" in note.lower() for note in primary[0]["notes"])
    # Visits are at settings: a view by venue would file them all under no venue.
    by_venue = client.get(f"{small.url}/rota/versions/{number}/timetable", params={"by": "venue"})
    assert by_venue.status_code == 422
    assert by_venue.json()["errors"][0]["field"] == "by"
    assert by_venue.json()["errors"][0]["location"] == "query"


def test_when_an_inspector_drops_out_the_replan_moves_only_their_visits(
    client: TestClient, small: SmallInspection, area_url: str
) -> None:
    number = solve(client, small.url, "rota")["result_version"]
    client.post(f"{small.url}/rota/versions/{number}/publish")
    client.patch(
        f"{area_url}/people/{small.people['cqc']}",
        json={"unavailable": [{"start": "2026-12-09T00:00:00Z", "end": "2026-12-11T00:00:00Z"}]},
    )
    new = solve(client, small.url, "rota")["result_version"]
    plan = client.get(f"{small.url}/rota/versions/{new}").json()["plan"]
    assert all(v["inspector_id"] != small.people["cqc"] for v in plan["visits"])
    diff = client.get(f"{small.url}/rota/versions/{number}/diff/{new}").json()
    assert set(diff["affected_inspector_ids"]) <= {small.people["cqc"], small.people["lead"]}


def test_an_edit_to_a_closed_time_is_refused_with_the_reason(
    client: TestClient, small: SmallInspection
) -> None:
    number = solve(client, small.url, "rota")["result_version"]
    plan = client.get(f"{small.url}/rota/versions/{number}").json()["plan"]
    visit = plan["visits"][0]
    edit = {
        "item_id": visit["setting_id"],
        "start": "2026-12-09T19:00:00Z",
        "inspector_ids": [visit["inspector_id"]],
    }
    url = f"{small.url}/rota/versions/{number}/edits"
    refused = client.post(url, json=edit)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "start"
    assert "cannot visit" in refused.json()["errors"][0]["reason"]
    # Each bad part of an edit is named.
    for change, field in (
        ({"start": "2026-12-12T10:00:00Z"}, "start"),  # a Saturday
        ({"start": "2026-12-09T09:15:30Z"}, "start"),  # off the grid
        ({"venue_id": small.venues["hall"]}, "venue_id"),
        ({"inspector_ids": [small.people["link"]]}, "inspector_ids"),
        ({"inspector_ids": [small.people["lead"], small.people["cqc"]]}, "inspector_ids"),
    ):
        answer = client.post(url, json=edit | change)
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][0]["field"] == field


def test_an_edit_to_an_inspector_who_is_away_names_inspector_ids(
    client: TestClient, small: SmallInspection, area_url: str
) -> None:
    number = solve(client, small.url, "rota")["result_version"]
    visit = client.get(f"{small.url}/rota/versions/{number}").json()["plan"]["visits"][0]
    other = next(
        i for i in (small.people["lead"], small.people["cqc"]) if i != visit["inspector_id"]
    )
    hour = {"start": visit["start"], "end": visit["end"]}
    assert client.patch(f"{area_url}/people/{other}", json={"unavailable": [hour]}).is_success
    edit = {"item_id": visit["setting_id"], "start": visit["start"], "inspector_ids": [other]}
    refused = client.post(f"{small.url}/rota/versions/{number}/edits", json=edit)
    assert refused.status_code == 422, refused.text
    away = [e["field"] for e in refused.json()["errors"] if "is unavailable" in e["reason"]]
    assert away == ["inspector_ids"], refused.json()


def test_the_explanation_names_a_type_nobody_can_visit(
    client: TestClient, small: SmallInspection, area_url: str
) -> None:
    # The only early-years provider is closed on both visit days.
    client.patch(
        f"{area_url}/settings/{small.settings['early_years']}",
        json={"unavailable": [{"start": "2026-12-09T00:00:00Z", "end": "2026-12-11T00:00:00Z"}]},
    )
    explanation = client.get(f"{small.url}/rota/explanation", params={"time_limit_s": 5}).json()
    assert explanation["feasible"] is False
    assert any("early-years" in text for text in explanation["conflicts"])


def test_a_version_still_reads_after_a_visited_candidate_is_deleted(
    client: TestClient, small: SmallInspection
) -> None:
    number = solve(client, small.url, "rota")["result_version"]
    url = f"{small.url}/rota/versions/{number}"
    visits = client.get(url).json()["plan"]["visits"]
    gone = next(v for v in visits if v["setting_id"] != small.settings["special"])
    candidates = client.get(
        f"{small.url}/visit-candidates", params={"setting_id": gone["setting_id"]}
    ).json()["items"]
    assert client.delete(f"{small.url}/visit-candidates/{candidates[0]['id']}").status_code == 204
    for by in ("day", "setting", "inspector", "person"):
        view = client.get(f"{url}/timetable", params={"by": by})
        assert view.status_code == 200, view.text
        keys = {item["key"] for items in view.json()["groups"].values() for item in items}
        assert f"visit:{gone['setting_id']}" not in keys
    routes = client.get(f"{url}/timetable", params={"by": "inspector"}).json()["routes"]
    assert all(gone["setting_id"] not in r["setting_ids"] for r in routes)
    assert sum(len(r["setting_ids"]) for r in routes) == len(visits) - 1
    assert client.get(f"{url}/analysis").status_code == 200
    assert client.put(f"{url}/pins", json={"items": []}).status_code == 200
    # Another visit can still be moved by hand.
    kept = next(v for v in visits if v["setting_id"] != gone["setting_id"])
    edit = {
        "item_id": kept["setting_id"],
        "start": kept["start"],
        "inspector_ids": [kept["inspector_id"]],
    }
    assert client.post(f"{url}/edits", json=edit).status_code == 201


def test_a_visit_can_be_moved_by_hand_while_another_route_breaks_a_rule(
    client: TestClient, small: SmallInspection, area_url: str
) -> None:
    number = solve(client, small.url, "rota")["result_version"]
    url = f"{small.url}/rota/versions/{number}"
    plan = client.get(url).json()["plan"]
    broken, other = plan["routes"][0], plan["routes"][1]
    assert (broken["inspector_id"], broken["day"]) != (other["inspector_id"], other["day"])
    # The first route's inspector is now away that whole day.
    day = broken["day"]
    away = {"start": f"{day}T00:00:00Z", "end": f"{day}T23:59:00Z"}
    client.patch(f"{area_url}/people/{broken['inspector_id']}", json={"unavailable": [away]})
    visit = next(v for v in plan["visits"] if v["setting_id"] == other["setting_ids"][0])
    edit = {
        "item_id": visit["setting_id"],
        "start": visit["start"],
        "inspector_ids": [visit["inspector_id"]],
    }
    moved = client.post(f"{url}/edits", json=edit)
    assert moved.status_code == 201, moved.text
    assert moved.json()["violations"], "the broken route is still reported"
    new = moved.json()["version"]["plan"]
    assert broken in new["routes"]  # kept as it was, not timed again
