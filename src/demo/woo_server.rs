//! `WooShop`: the demo shop speaking the WooCommerce REST API v3 (orders, products, batches)
//! over HTTP on loopback, for `zynk demo --api woocommerce` and the tests.
//!
//! It answers as WooCommerce documents: Basic auth with a consumer key and secret (or the
//! `consumer_key`/`consumer_secret` query parameters), `per_page` of 1 to 100 with
//! `X-WP-Total`, `X-WP-TotalPages` and a `Link` header, batch endpoints that refuse more than
//! 100 items with 413, per-item errors inside a 200, and errors as `{"code","message","data"}`.

use axum::http::{HeaderMap, header};
use axum::response::Response;
use base64::Engine as _;
use serde_json::{Value, json};

use super::error::DemoError;
use super::rest_shop::{Call, RestShop, json_response};

/// The most items one batch request may carry (WooCommerce's limit).
pub const WOO_BATCH_LIMIT: usize = 100;

/// One request the shop answered: method, path and, for a batch, how many items it carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WooRequest {
    pub method: String,
    pub path: String,
    pub query: String,
    pub status: u16,
    pub items: usize,
}

/// What the shop holds: its orders and products, the keys it accepts, and every request.
#[derive(Debug, Default)]
pub struct WooData {
    pub orders: Vec<Value>,
    pub products: Vec<Value>,
    /// Variations of variable products, each with its `parent_id`.
    pub variations: Vec<Value>,
    pub consumer_key: String,
    pub consumer_secret: String,
    pub requests: Vec<WooRequest>,
}

/// The shop, serving until stopped or dropped.
pub type WooShop = RestShop<WooData>;

impl RestShop<WooData> {
    /// Serves `data` on `addr` (`127.0.0.1:0` for any free port).
    ///
    /// # Errors
    /// [`DemoError::Bind`] or [`DemoError::Server`].
    pub fn start(data: WooData, addr: &str) -> Result<WooShop, DemoError> {
        RestShop::serve(data, addr, "zynk-demo-woo", logged)
    }
}

/// `{"code": …, "message": …, "data": {"status": …}}` with that status.
fn error(status: u16, code: &str, message: &str) -> Response {
    let body = json!({"code": code, "message": message, "data": {"status": status}});
    respond(status, &body, Vec::new())
}

fn respond(status: u16, body: &Value, headers: Vec<(&'static str, String)>) -> Response {
    json_response(status, "application/json; charset=UTF-8", body, headers)
}

/// The consumer key and secret a request carries: Basic auth, else query parameters.
fn credentials(headers: &HeaderMap, query: &[(String, String)]) -> Option<(String, String)> {
    if let Some(basic) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
    {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(basic.trim())
            .ok()?;
        let text = String::from_utf8(decoded).ok()?;
        let (key, secret) = text.split_once(':')?;
        return Some((key.to_string(), secret.to_string()));
    }
    let get = |n: &str| query.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    Some((get("consumer_key")?, get("consumer_secret")?))
}

/// Answers a call and keeps it in the shop's list of requests.
fn logged(data: &mut WooData, call: &Call<'_>) -> Response {
    let (response, items) = answer(data, call);
    data.requests.push(WooRequest {
        method: call.method.to_string(),
        path: call.uri.path().to_string(),
        query: call.uri.query().unwrap_or("").to_string(),
        status: response.status().as_u16(),
        items,
    });
    response
}

fn answer(data: &mut WooData, call: &Call<'_>) -> (Response, usize) {
    let (method, headers, query, body) = (call.method, call.headers, &call.query, call.body);
    let path = call.uri.path().trim_end_matches('/');
    let Some(route) = path.strip_prefix("/wp-json/wc/v3/") else {
        return (
            error(
                404,
                "rest_no_route",
                "No route was found matching the URL and request method.",
            ),
            0,
        );
    };
    match credentials(headers, query) {
        None => {
            return (
                error(
                    401,
                    "woocommerce_rest_cannot_view",
                    "Sorry, you cannot list resources.",
                ),
                0,
            );
        }
        Some((key, _)) if key != data.consumer_key => {
            return (
                error(
                    401,
                    "woocommerce_rest_authentication_error",
                    "Consumer key is invalid.",
                ),
                0,
            );
        }
        Some((_, secret)) if secret != data.consumer_secret => {
            return (
                error(
                    401,
                    "woocommerce_rest_authentication_error",
                    "Consumer secret is invalid.",
                ),
                0,
            );
        }
        Some(_) => {}
    }
    let base = call.base();
    if let Some((parent, rest)) = variations_of(route) {
        return variations(data, method.as_str(), parent, rest, query, &base, body);
    }
    match (method.as_str(), route) {
        ("GET", "orders") => (list(&data.orders, query, &base, "status"), 0),
        ("GET", "products") => (list(&data.products, query, &base, "sku"), 0),
        ("POST" | "PUT" | "PATCH", "orders/batch") => batch(&mut data.orders, body, "shop_order"),
        ("POST" | "PUT" | "PATCH", "products/batch") => batch(&mut data.products, body, "product"),
        _ => (
            error(
                404,
                "rest_no_route",
                "No route was found matching the URL and request method.",
            ),
            0,
        ),
    }
}

/// `products/{id}/variations` and `products/{id}/variations/batch`: the parent id and `""` or
/// `"batch"`.
fn variations_of(route: &str) -> Option<(u64, &str)> {
    let rest = route.strip_prefix("products/")?;
    let (id, rest) = rest.split_once("/variations")?;
    let rest = rest.trim_start_matches('/');
    matches!(rest, "" | "batch")
        .then_some(())
        .and(id.parse().ok().map(|id| (id, rest)))
}

/// A variable product's variations: listed like products, changed in batches.
fn variations(
    data: &mut WooData,
    method: &str,
    parent: u64,
    rest: &str,
    query: &[(String, String)],
    base: &str,
    body: &[u8],
) -> (Response, usize) {
    let is_parent = |p: &Value| p.get("parent_id").and_then(Value::as_u64) == Some(parent);
    if !data
        .products
        .iter()
        .any(|p| p.get("id").and_then(Value::as_u64) == Some(parent))
    {
        return (
            error(404, "woocommerce_rest_product_invalid_id", "Invalid ID."),
            0,
        );
    }
    match (method, rest) {
        ("GET", "") => {
            let own: Vec<Value> = data
                .variations
                .iter()
                .filter(|v| is_parent(v))
                .cloned()
                .collect();
            (list(&own, query, base, "sku"), 0)
        }
        ("POST" | "PUT" | "PATCH", "batch") => {
            let mut own: Vec<Value> = data
                .variations
                .iter()
                .filter(|v| is_parent(v))
                .cloned()
                .collect();
            let answer = batch(&mut own, body, "product_variation");
            data.variations.retain(|v| !is_parent(v));
            data.variations.extend(own);
            answer
        }
        _ => (
            error(
                404,
                "rest_no_route",
                "No route was found matching the URL and request method.",
            ),
            0,
        ),
    }
}

/// A page of `all`, filtered by the `filter` parameter (status: a comma list or `any`; sku).
fn list(all: &[Value], query: &[(String, String)], base: &str, filter: &str) -> Response {
    let get = |n: &str| query.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    let per_page = match get("per_page").map(str::parse::<usize>) {
        None => 10,
        Some(Ok(n)) if (1..=100).contains(&n) => n,
        _ => {
            return error(
                400,
                "rest_invalid_param",
                "Invalid parameter(s): per_page (per_page must be between 1 (inclusive) and 100 (inclusive))",
            );
        }
    };
    let page = match get("page").map(str::parse::<usize>) {
        None => 1,
        Some(Ok(n)) if n >= 1 => n,
        _ => return error(400, "rest_invalid_param", "Invalid parameter(s): page"),
    };
    let wanted: Option<Vec<String>> = get(filter)
        .filter(|v| !v.is_empty() && *v != "any")
        .map(|v| v.split(',').map(|s| s.trim().to_lowercase()).collect());
    // Newest first, as WooCommerce lists by date, descending.
    let mut matching: Vec<&Value> = all
        .iter()
        .filter(|o| {
            wanted.as_ref().is_none_or(|w| {
                o.get(filter)
                    .and_then(Value::as_str)
                    .is_some_and(|v| w.contains(&v.to_lowercase()))
            })
        })
        .collect();
    matching.reverse();
    let total = matching.len();
    let pages = total.div_ceil(per_page);
    if page > pages && total > 0 {
        return error(
            400,
            "woocommerce_rest_invalid_page_number",
            "The page number requested is larger than the number of pages available.",
        );
    }
    let items: Vec<Value> = matching
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .cloned()
        .collect();
    let link_to = |n: usize| {
        let mut q: Vec<(String, String)> = query
            .iter()
            .filter(|(k, _)| k != "page" && k != "consumer_key" && k != "consumer_secret")
            .cloned()
            .collect();
        q.push(("page".into(), n.to_string()));
        let encoded: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(q)
            .finish();
        format!("{base}?{encoded}")
    };
    let mut links = Vec::new();
    if page > 1 {
        links.push(format!("<{}>; rel=\"prev\"", link_to(page - 1)));
    }
    if page < pages {
        links.push(format!("<{}>; rel=\"next\"", link_to(page + 1)));
    }
    let mut headers = vec![
        ("x-wp-total", total.to_string()),
        ("x-wp-totalpages", pages.to_string()),
    ];
    if !links.is_empty() {
        headers.push(("link", links.join(", ")));
    }
    respond(200, &Value::Array(items), headers)
}

/// `POST …/batch`: `create`, `update` and `delete` lists, at most 100 items in all.
fn batch(all: &mut [Value], body: &[u8], kind: &str) -> (Response, usize) {
    let Ok(request) = serde_json::from_slice::<Value>(body) else {
        return (
            error(400, "rest_invalid_json", "Invalid JSON body passed."),
            0,
        );
    };
    let list = |name: &str| {
        request
            .get(name)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let (create, update, delete) = (list("create"), list("update"), list("delete"));
    let items = create.len() + update.len() + delete.len();
    if items > WOO_BATCH_LIMIT {
        return (
            error(
                413,
                "woocommerce_rest_request_entity_too_large",
                &format!("Unable to accept more than {WOO_BATCH_LIMIT} items for this request."),
            ),
            items,
        );
    }
    let invalid = |id: &Value| {
        json!({"id": id, "error": {
            "code": format!("woocommerce_rest_{kind}_invalid_id"),
            "message": "Invalid ID.",
            "data": {"status": 400}
        }})
    };
    let mut updated = Vec::new();
    for change in &update {
        let id = change.get("id").cloned().unwrap_or(Value::Null);
        let id_number = id
            .as_u64()
            .or_else(|| id.as_str().and_then(|s| s.parse().ok()));
        let Some(target) = all
            .iter_mut()
            .find(|o| id_number.is_some() && o.get("id").and_then(Value::as_u64) == id_number)
        else {
            updated.push(invalid(&id));
            continue;
        };
        if let Value::Object(fields) = change {
            for (k, v) in fields {
                if k != "id" {
                    target[k.as_str()] = v.clone();
                }
            }
        }
        updated.push(target.clone());
    }
    let mut answer = serde_json::Map::new();
    if !create.is_empty() {
        answer.insert(
            "create".into(),
            Value::Array(create.iter().map(|_| invalid(&json!(0))).collect()),
        );
    }
    if !update.is_empty() {
        answer.insert("update".into(), Value::Array(updated));
    }
    if !delete.is_empty() {
        answer.insert(
            "delete".into(),
            Value::Array(delete.iter().map(invalid).collect()),
        );
    }
    (respond(200, &Value::Object(answer), Vec::new()), items)
}
