"""Calling /graphql/ the way API clients do: a JSON POST, optionally with a bearer token."""

import json


def gql(client, query: str, variables: dict | None = None, *, token: str | None = None, **headers):
    """POST the query (with a bearer token, and any other headers); returns (status, body)."""
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    response = client.post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        **headers,
    )
    return response.status_code, response.json()


def data_of(client, query: str, variables: dict | None = None, **kwargs) -> dict:
    """The `data` of an answer that must have no GraphQL errors."""
    status, body = gql(client, query, variables, **kwargs)
    assert status == 200 and "errors" not in body, body
    return body["data"]
