//! The route handlers.

use crate::error::ApiError;
use crate::solve::{solve, BlocPolicy, SolveRequest};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use corridor_model::units::closest;
use serde_json::{json, Value};
use std::sync::Arc;

pub(crate) const INDEX_HTML: &str = include_str!("../assets/index.html");
pub(crate) const APP_JS: &str = include_str!("../assets/app.js");
pub(crate) const APP_CSS: &str = include_str!("../assets/app.css");

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

pub(crate) async fn index() -> Response {
    asset("text/html; charset=utf-8", INDEX_HTML)
}

pub(crate) async fn app_js() -> Response {
    asset("text/javascript; charset=utf-8", APP_JS)
}

pub(crate) async fn app_css() -> Response {
    asset("text/css; charset=utf-8", APP_CSS)
}

/// `GET /api`: what the API offers.
pub(crate) async fn api_index() -> Json<Value> {
    Json(json!({
        "name": "corridor",
        "version": env!("CARGO_PKG_VERSION"),
        "routes": [
            {"method": "GET", "path": "/api/health", "returns": "{\"status\": \"ok\"}"},
            {"method": "GET", "path": "/api/scenarios", "returns": "the scenarios: name, description, year, commodities, avoided countries, bloc policy, links drawn"},
            {"method": "GET", "path": "/api/dataset", "returns": "dataset metadata, countries, blocs (members since), chokepoints (the links through each), nodes and links (ids, names, modes, status)"},
            {"method": "GET", "path": "/api/links/{id}", "returns": "one link: every field, its course and its sources in full"},
            {"method": "GET", "path": "/api/map?scenario=NAME", "returns": "the map as SVG (image/svg+xml), links carrying data-link ids"},
            {"method": "GET", "path": "/api/network.geojson", "returns": "the whole network as GeoJSON (RFC 7946)"},
            {"method": "POST", "path": "/api/solve", "body": "{\"scenario\": NAME, \"off\": {\"links\": [ID], \"nodes\": [ID], \"countries\": [CC], \"chokepoints\": [ID]}, \"avoid\": [CC], \"bypass_avoid\": [CC], \"policy\": {\"avoid_blocs\": [BLOC], \"only_via_bloc\": BLOC, \"also_via\": [BLOC or CC]}}", "notes": "every field is optional; `policy` replaces the scenario's own bloc policy and binds the allocation only (the bypass avoids `bypass_avoid`, RU and CN by default)", "returns": "allocation, bypass with its minimum cut and dependence, what is out and the policy as understood, and per-link styles"}
        ],
        "errors": "{\"error\": {\"status\": N, \"code\": \"…\", \"message\": \"…\"}}",
    }))
}

pub(crate) async fn health() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

pub(crate) async fn scenarios(State(state): State<AppState>) -> Json<Value> {
    let ds = state.dataset();
    let list: Vec<Value> = state
        .scenarios()
        .iter()
        .map(|s| {
            let links: Vec<&str> = corridor_report::map::links_for(ds, s.year, &s.commodities())
                .into_iter()
                .map(|l| ds.link(l).id.as_str())
                .collect();
            json!({
                "name": s.name,
                "description": s.description.trim(),
                "year": s.year,
                "commodities": s.commodities().iter().map(|c| ds.commodity(*c).id.clone()).collect::<Vec<_>>(),
                "avoid": s.policy.avoid_countries.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
                "policy": BlocPolicy::of(ds, &s.policy),
                "links": links,
            })
        })
        .collect();
    Json(Value::Array(list))
}

pub(crate) async fn dataset(State(state): State<AppState>) -> Json<Value> {
    let ds = state.dataset();
    Json(json!({
        "id": ds.meta.id,
        "name": ds.meta.name,
        "description": ds.meta.description,
        "default_year": ds.meta.default_year,
        "countries": ds.countries.iter().map(|c| json!({"code": c.code.to_string(), "name": c.name})).collect::<Vec<_>>(),
        "blocs": ds.blocs.iter().map(|b| json!({
            "id": b.id, "name": b.name,
            "members": b.members.iter().map(|m| json!({"country": m.country.to_string(), "since": m.since})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "chokepoints": ds.chokepoints.iter().map(|k| json!({
            "id": k.id, "name": k.name,
            "countries": k.countries.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
            "links": k.links.iter().map(|l| ds.link(*l).id.clone()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "nodes": ds.nodes.iter().map(|n| json!({"id": n.id, "name": n.name, "kind": n.kind.as_str(), "country": n.country.map(|c| c.to_string())})).collect::<Vec<_>>(),
        "links": ds.link_ids().map(|l| {
            let link = ds.link(l);
            json!({
                "id": link.id, "name": link.name, "mode": link.mode.as_str(),
                "from": ds.node(link.from).id, "to": ds.node(link.to).id,
                "status": link.status.as_str(),
                "countries": ds.link_countries(l).iter().map(|c| c.to_string()).collect::<Vec<_>>(),
            })
        }).collect::<Vec<_>>(),
    }))
}

pub(crate) async fn link(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let ds = state.dataset();
    let Some(l) = ds.link_id(&id) else {
        let hint = closest(&id, ds.links.iter().map(|l| l.id.as_str()))
            .map(|s| format!(" — did you mean `{s}`?"))
            .unwrap_or_default();
        return Err(ApiError::NotFound(format!("no link `{id}`{hint}")));
    };
    let link = ds.link(l);
    let sources: Vec<Value> = link
        .sources
        .iter()
        .map(|s| {
            let s = ds.source(*s);
            json!({"id": s.id, "publisher": s.publisher, "title": s.title, "url": s.url, "date": s.date})
        })
        .collect();
    let path = ds.link_path(l).map(|p| {
        json!({
            "waypoints": p.waypoints.len(),
            "confidence": p.confidence.as_str(),
            "sources": p.sources.iter().map(|s| ds.source(*s).id.clone()).collect::<Vec<_>>(),
        })
    });
    Ok(Json(json!({
        "id": link.id,
        "name": link.name,
        "from": {"id": ds.node(link.from).id, "name": ds.node(link.from).name},
        "to": {"id": ds.node(link.to).id, "name": ds.node(link.to).name},
        "mode": link.mode.as_str(),
        "direction": link.direction.as_str(),
        "commodities": link.carries.iter().map(|c| ds.commodity(c.commodity).id.clone()).collect::<Vec<_>>(),
        "capacity": link.capacity,
        "capacity_unit": link.capacity_unit.to_string(),
        "capacity_group": link.capacity_group.map(|g| json!({"id": ds.group(g).id, "name": ds.group(g).name, "capacity": ds.group(g).capacity, "unit": ds.group(g).unit.to_string()})),
        "transit_days": link.transit_days,
        "countries": ds.link_countries(l).iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        "status": link.status.as_str(),
        "start_year": link.start_year,
        "end_year": link.end_year,
        "year": link.year,
        "confidence": link.confidence.as_str(),
        "notes": link.notes,
        "sources": sources,
        "path": path,
    })))
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct MapQuery {
    scenario: Option<String>,
}

pub(crate) async fn map(
    State(state): State<AppState>,
    Query(q): Query<MapQuery>,
) -> Result<Response, ApiError> {
    let scenario = state.scenario(q.scenario.as_deref())?;
    let name = scenario.name.clone();
    let svg = tokio::task::spawn_blocking(move || state.map_svg(&name))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))??;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        svg.as_str().to_string(),
    )
        .into_response())
}

pub(crate) async fn network_geojson(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/geo+json")],
        state.network_geojson().to_string(),
    )
        .into_response()
}

pub(crate) async fn solve_route(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    // Only a JSON body: a cross-site form or `text/plain` POST (no CORS preflight) must not make it solve.
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return Err(ApiError::NotJson);
    }
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge {
                limit: crate::BODY_LIMIT,
            }
        } else {
            ApiError::BadRequest(e.body_text())
        }
    })?;
    // The path names the field at fault (`policy.avoid_blocs: invalid type …`), not just a column.
    let request: SolveRequest =
        serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_slice(&body))
            .map_err(|e| {
                let field = e.path().to_string();
                let field = if field == "." {
                    String::new()
                } else {
                    format!("`{field}`: ")
                };
                ApiError::BadRequest(format!(
                    "the body is not a valid solve request: {field}{}",
                    e.inner()
                ))
            })?;
    let scenario = Arc::new(state.scenario(request.scenario.as_deref())?.clone());
    let permit = state
        .try_solve()
        .ok_or(ApiError::Busy(crate::MAX_CONCURRENT_SOLVES))?;
    let answer = tokio::task::spawn_blocking(move || {
        let answer = solve(state.dataset(), &scenario, &request, state.solver());
        drop(permit);
        answer
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))??;
    serde_json::to_value(&answer)
        .map(Json)
        .map_err(|e| ApiError::Internal(e.to_string()))
}

pub(crate) async fn not_found() -> ApiError {
    ApiError::NotFound("no such route — see GET /api for the API".into())
}

pub(crate) async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed("this route does not take that method — see GET /api".into())
}
