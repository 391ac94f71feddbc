"""Self-evaluation statements under the three questions, and amber/red into the action plan."""

from typing import Any

from fastapi.testclient import TestClient

from tests.readiness.helpers import make_person, problem


def _statement(client: TestClient, area_url: str, **fields: Any) -> dict[str, Any]:
    body = {"question": "identify", "statement": "Needs are identified early", "rag": "green"}
    response = client.post(f"{area_url}/self-evaluation", json={**body, **fields})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_statements_are_grouped_by_question_and_rag(client: TestClient, area_url: str) -> None:
    _statement(client, area_url, question="identify", rag="green")
    _statement(
        client,
        area_url,
        question="assess_and_meet",
        rag="amber",
        statement="EHC plans are late",
        partner_view="Health agree",
        family_view="Parents wait too long",
    )
    _statement(
        client,
        area_url,
        question="improve_outcomes",
        rag="red",
        statement="Too many NEETs with SEND",
    )

    url = f"{area_url}/self-evaluation"
    assert client.get(url, params={"question": "assess_and_meet"}).json()["total"] == 1
    reds = client.get(url, params={"rag": "red"}).json()["items"]
    assert [s["statement"] for s in reds] == ["Too many NEETs with SEND"]
    problem(client.get(url, params={"question": "why"}), 422)


def test_generating_the_action_plan_covers_amber_and_red_once(
    client: TestClient, area_url: str
) -> None:
    owner = make_person(client, area_url, "Sam Owner")
    _statement(client, area_url, rag="green")
    amber = _statement(
        client, area_url, rag="amber", statement="EHC plans are late", owner_id=owner["id"]
    )
    red = _statement(client, area_url, rag="red", statement="Too many NEETs with SEND")

    first = client.post(f"{area_url}/self-evaluation/generate-actions")
    second = client.post(f"{area_url}/self-evaluation/generate-actions")

    assert first.status_code == 200, first.text
    created = first.json()["items"]
    assert first.json()["created"] == 2 and second.json()["created"] == 0
    by_statement = {a["statement_id"]: a for a in created}
    assert set(by_statement) == {amber["id"], red["id"]}
    assert by_statement[amber["id"]]["owner_id"] == owner["id"]
    assert "EHC plans are late" in by_statement[amber["id"]]["action"]
    assert by_statement[red["id"]]["due_on"] < by_statement[amber["id"]]["due_on"]
    plan = client.get(f"{area_url}/actions", params={"statement_id": red["id"]}).json()
    assert plan["total"] == 1


def test_generating_the_action_plan_saves_every_action_or_none(
    client: TestClient, area_url: str
) -> None:
    _statement(client, area_url, rag="amber", statement="EHC plans are late")
    # An action's text is "Close the gap (...): " and the statement, cut to 2,000
    # characters: here the cut leaves what reads as a pupil number, which is refused.
    prefix = "Close the gap (red, identify needs): "
    padding = "x" * (2000 - len(prefix) - len(" A12345678901B"))
    _statement(client, area_url, rag="red", statement=f"{padding} A12345678901BC and more")
    refused = client.post(f"{area_url}/self-evaluation/generate-actions")
    assert refused.status_code == 422, refused.text
    assert client.get(f"{area_url}/actions").json()["total"] == 0


def test_statements_counted_by_question_show_what_still_needs_an_action(
    client: TestClient, area_url: str
) -> None:
    _statement(client, area_url, question="identify", rag="green")
    _statement(client, area_url, question="identify", rag="red")
    amber = _statement(client, area_url, question="improve_outcomes", rag="amber")
    client.post(f"{area_url}/self-evaluation/{amber['id']}/actions")

    response = client.get(f"{area_url}/self-evaluation/by-question")

    assert response.status_code == 200, response.text
    by_question = {q["question"]: q for q in response.json()}
    assert list(by_question) == ["identify", "assess_and_meet", "improve_outcomes"]
    assert by_question["identify"]["rag"] == {"red": 1, "amber": 0, "green": 1}
    assert by_question["identify"]["without_action"] == 1
    assert by_question["improve_outcomes"]["without_action"] == 0
    assert by_question["assess_and_meet"]["statements"] == 0


def test_one_statement_turns_into_an_action_with_the_details_given(
    client: TestClient, area_url: str
) -> None:
    owner = make_person(client, area_url, "Sam Owner")
    red = _statement(client, area_url, rag="red", statement="Transition is patchy")

    response = client.post(
        f"{area_url}/self-evaluation/{red['id']}/actions",
        json={
            "action": "Agree a transition protocol",
            "owner_id": owner["id"],
            "due_on": "2026-07-01",
        },
    )

    assert response.status_code == 201, response.text
    action = response.json()
    assert action["statement_id"] == red["id"] and action["progress"] == "not_started"
    assert action["due_on"] == "2026-07-01"
    problem(client.post(f"{area_url}/self-evaluation/999999/actions"), 404)


def test_action_plan_crud_and_progress(client: TestClient, area_url: str) -> None:
    created = client.post(f"{area_url}/actions", json={"action": "Publish the SEND strategy"})
    assert created.status_code == 201
    action = created.json()
    url = f"{area_url}/actions/{action['id']}"

    done = client.patch(url, json={"progress": "done", "progress_note": "Published in June"})
    assert done.json()["progress"] == "done" and done.json()["version"] == 2
    assert client.get(f"{area_url}/actions", params={"progress": "done"}).json()["total"] == 1
    problem(client.patch(url, json={"progress": "half"}), 422)
    problem(client.patch(url, json={"owner_id": 424242}), 422)
    problem(client.patch(url, json={"action": "x"}, headers={"If-Match": '"action-1-v1"'}), 412)
    assert client.delete(url).status_code == 204
    problem(client.get(url), 404)


def test_a_statement_with_actions_cannot_be_deleted(client: TestClient, area_url: str) -> None:
    red = _statement(client, area_url, rag="red")
    client.post(f"{area_url}/self-evaluation/{red['id']}/actions")

    body = problem(client.delete(f"{area_url}/self-evaluation/{red['id']}"), 409)

    assert "action" in body["detail"] and "statement_id" in body["detail"]


def test_child_level_identifiers_are_refused_in_free_text(
    client: TestClient, area_url: str
) -> None:
    url = f"{area_url}/self-evaluation"
    base = {"question": "identify", "rag": "amber"}

    upn = problem(client.post(url, json={**base, "statement": "Case A123456789012 waited"}), 422)
    nhs = problem(
        client.post(url, json={**base, "statement": "x", "evidence": "NHS 943 476 5919"}), 422
    )
    dob = problem(client.post(url, json={**base, "statement": "Child, DOB: 03/04/2015"}), 422)

    assert upn["errors"][0]["field"] == "statement"
    assert "unique pupil number" in upn["errors"][0]["reason"]
    assert nhs["errors"][0]["field"] == "evidence" and "NHS number" in nhs["detail"]
    assert "date of birth" in dob["detail"]
    link = client.patch(
        f"{area_url}/data-sets/{client.get(f'{area_url}/data-sets').json()['items'][0]['id']}",
        json={"link": "https://share.example/list?upn=A123456789012"},
    )
    assert "children's records" in problem(link, 422)["detail"]
