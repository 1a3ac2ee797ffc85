//! `ShopifyShop`: the demo shop speaking Shopify's Admin REST API (orders, products,
//! locations, inventory levels) over HTTP on loopback, for `zynk demo --api shopify` and
//! the tests.
//!
//! It answers as Shopify documents: the `X-Shopify-Access-Token` header, `limit` of 1 to
//! 250 with cursor pagination (`page_info` in a `Link` header, no other filter beside it),
//! `PUT /orders/{id}.json` for tags and notes, `POST /inventory_levels/set.json` per item and
//! location (422 when the item does not track inventory), errors as `{"errors": …}`, and,
//! when given a [`Throttle`], its leaky-bucket rate limit (429 with `Retry-After: 0.5`).
use axum::http::header;
use axum::response::Response;
use serde_json::{Value, json};

use super::error::DemoError;
use super::rest_shop::{Call, RestShop, json_response};
use super::shopify_sample::level;

/// The most records one page may hold (Shopify's limit).
pub const SHOPIFY_PAGE_LIMIT: usize = 250;

/// One request the shop answered, with the body it carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopifyRequest {
    pub method: String,
    pub path: String,
    pub query: String,
    pub status: u16,
    pub body: String,
}

/// What the shop holds: orders, products, locations, inventory levels, the access token it
/// accepts, and every request.
#[derive(Debug, Default)]
pub struct ShopifyData {
    pub orders: Vec<Value>,
    pub products: Vec<Value>,
    pub locations: Vec<Value>,
    pub levels: Vec<Value>,
    pub access_token: String,
    pub requests: Vec<ShopifyRequest>,
    /// Shopify's leaky bucket, when the shop enforces one.
    pub throttle: Option<Throttle>,
}

/// Shopify's rate limit for REST: a bucket of `capacity` calls that leaks `per_second`
/// calls a second; a call into a full bucket is answered 429 with `Retry-After`.
#[derive(Debug, Clone)]
pub struct Throttle {
    pub capacity: f64,
    pub per_second: f64,
    level: f64,
    last: std::time::Instant,
    /// How many calls were answered 429.
    pub refused: usize,
}

impl Throttle {
    /// A bucket of `capacity` calls leaking `per_second` (Shopify's standard plan: 40, 2).
    #[must_use]
    pub fn new(capacity: f64, per_second: f64) -> Throttle {
        Throttle {
            capacity,
            per_second,
            level: 0.0,
            last: std::time::Instant::now(),
            refused: 0,
        }
    }

    /// The same bucket, full already (another app of the shop has just used it): the first
    /// call is answered 429.
    #[must_use]
    pub fn full(capacity: f64, per_second: f64) -> Throttle {
        Throttle {
            level: capacity,
            ..Throttle::new(capacity, per_second)
        }
    }

    /// Takes a call into the bucket, or says how long to wait (seconds) before one fits.
    fn take(&mut self) -> Result<u32, f64> {
        let now = std::time::Instant::now();
        let leaked = now.duration_since(self.last).as_secs_f64() * self.per_second;
        self.level = (self.level - leaked).max(0.0);
        self.last = now;
        if self.level + 1.0 > self.capacity {
            self.refused += 1;
            return Err((self.level + 1.0 - self.capacity) / self.per_second);
        }
        self.level += 1.0;
        Ok(self.level.ceil() as u32)
    }
}

/// The shop, serving until stopped or dropped.
pub type ShopifyShop = RestShop<ShopifyData>;

impl RestShop<ShopifyData> {
    /// Serves `data` on `addr` (`127.0.0.1:0` for any free port).
    ///
    /// # Errors
    /// [`DemoError::Bind`] or [`DemoError::Server`].
    pub fn start(data: ShopifyData, addr: &str) -> Result<ShopifyShop, DemoError> {
        RestShop::serve(data, addr, "zynk-demo-shopify", logged)
    }
}

fn respond(status: u16, body: &Value, headers: Vec<(&'static str, String)>) -> Response {
    json_response(status, "application/json; charset=utf-8", body, headers)
}

fn errors(status: u16, errors: Value) -> Response {
    respond(status, &json!({ "errors": errors }), Vec::new())
}

fn not_found() -> Response {
    errors(404, json!("Not Found"))
}

/// Answers a call and keeps it, with its body, in the shop's list of requests.
fn logged(data: &mut ShopifyData, call: &Call<'_>) -> Response {
    let response = answer(data, call);
    data.requests.push(ShopifyRequest {
        method: call.method.to_string(),
        path: call.uri.path().to_string(),
        query: call.uri.query().unwrap_or("").to_string(),
        status: response.status().as_u16(),
        body: String::from_utf8_lossy(call.body).into_owned(),
    });
    response
}

fn answer(data: &mut ShopifyData, call: &Call<'_>) -> Response {
    // /admin/api/{version}/{route}
    let Some(rest) = call.uri.path().strip_prefix("/admin/api/") else {
        return not_found();
    };
    let Some((_version, route)) = rest.split_once('/') else {
        return not_found();
    };
    let token = call
        .headers
        .get("x-shopify-access-token")
        .and_then(|v| v.to_str().ok());
    if token != Some(data.access_token.as_str()) {
        return errors(
            401,
            json!("[API] Invalid API key or access token (unrecognized login or wrong password)"),
        );
    }
    let capacity = data.throttle.as_ref().map_or(40.0, |t| t.capacity);
    let used = match data.throttle.as_mut().map(Throttle::take) {
        Some(Err(wait)) => {
            let mut response = errors(
                429,
                json!(
                    "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."
                ),
            );
            // Rounded up to the hundredth: a wait written as `0.00` would be retried into a
            // bucket that is still full.
            let wait = (wait * 100.0).ceil().max(1.0) / 100.0;
            if let Ok(value) = format!("{wait:.2}").parse() {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            return response;
        }
        Some(Ok(level)) => level,
        None => 1,
    };
    let mut response = route_call(data, route, call);
    if let Ok(value) = format!("{used}/{capacity}").parse() {
        response
            .headers_mut()
            .insert("x-shopify-shop-api-call-limit", value);
    }
    response
}

fn route_call(data: &mut ShopifyData, route: &str, call: &Call<'_>) -> Response {
    let (query, body, base) = (call.query.as_slice(), call.body, call.base());
    match (call.method.as_str(), route) {
        ("GET", "orders.json") => list(&data.orders, "orders", query, &base, order_matches),
        ("GET", "products.json") => list(&data.products, "products", query, &base, |_, _| true),
        ("GET", "locations.json") => respond(200, &json!({ "locations": data.locations }), vec![]),
        ("GET", "inventory_levels.json") => {
            if !query
                .iter()
                .any(|(k, _)| k == "location_ids" || k == "inventory_item_ids")
            {
                return errors(
                    422,
                    json!("location_ids or inventory_item_ids must be given"),
                );
            }
            list(
                &data.levels,
                "inventory_levels",
                query,
                &base,
                level_matches,
            )
        }
        ("POST", "inventory_levels/set.json") => set_level(data, body),
        ("PUT", r) if r.starts_with("orders/") && r.ends_with(".json") => {
            let id = r["orders/".len()..r.len() - ".json".len()]
                .parse::<u64>()
                .ok();
            update_order(data, id, body)
        }
        _ => not_found(),
    }
}

fn get<'q>(query: &'q [(String, String)], name: &str) -> Option<&'q str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `status` (open by default, closed, cancelled, any) and `financial_status`.
fn order_matches(o: &Value, filter: &[(String, String)]) -> bool {
    let set = |k: &str| !o[k].is_null();
    let status_ok = match get(filter, "status").unwrap_or("open") {
        "any" => true,
        "closed" => set("closed_at"),
        "cancelled" => set("cancelled_at"),
        _ => !set("closed_at") && !set("cancelled_at"),
    };
    let financial_ok = get(filter, "financial_status")
        .filter(|f| *f != "any")
        .is_none_or(|f| o["financial_status"].as_str() == Some(f));
    status_ok && financial_ok
}

/// `location_ids` and `inventory_item_ids`, comma lists.
fn level_matches(l: &Value, filter: &[(String, String)]) -> bool {
    let within = |param: &str, field: &str| {
        get(filter, param).is_none_or(|ids| {
            let value = l[field].as_u64().map(|n| n.to_string()).unwrap_or_default();
            ids.split(',').any(|id| id.trim() == value)
        })
    };
    within("location_ids", "location_id") && within("inventory_item_ids", "inventory_item_id")
}

/// A page of `all` under `name`. The first page takes the filters; the next ones are asked
/// for by the opaque `page_info` of the `Link` header, which carries them.
fn list(
    all: &[Value],
    name: &str,
    query: &[(String, String)],
    base: &str,
    matches: fn(&Value, &[(String, String)]) -> bool,
) -> Response {
    let limit = match get(query, "limit").map(str::parse::<usize>) {
        None => 50,
        Some(Ok(n)) if (1..=SHOPIFY_PAGE_LIMIT).contains(&n) => n,
        _ => {
            return errors(400, json!({"limit": ["must be between 1 and 250"]}));
        }
    };
    let (offset, filter) = match get(query, "page_info") {
        None => (0, query.to_vec()),
        Some(cursor) => {
            if query
                .iter()
                .any(|(k, _)| !matches!(k.as_str(), "page_info" | "limit" | "fields"))
            {
                return errors(
                    400,
                    json!({"page_info": ["Invalid value. Only limit and fields may be given with page_info."]}),
                );
            }
            match decode_cursor(cursor) {
                Some(decoded) => decoded,
                None => {
                    return errors(400, json!({"page_info": ["Invalid value."]}));
                }
            }
        }
    };
    let matching: Vec<&Value> = all.iter().filter(|v| matches(v, &filter)).collect();
    let page: Vec<Value> = matching
        .iter()
        .skip(offset)
        .take(limit)
        .map(|v| (*v).clone())
        .collect();
    let link = |at: usize, rel: &str| {
        format!(
            "<{base}?limit={limit}&page_info={}>; rel=\"{rel}\"",
            encode_cursor(at, &filter)
        )
    };
    let mut links = Vec::new();
    if offset > 0 {
        links.push(link(offset.saturating_sub(limit), "previous"));
    }
    if offset + limit < matching.len() {
        links.push(link(offset + limit, "next"));
    }
    let headers = if links.is_empty() {
        Vec::new()
    } else {
        vec![("link", links.join(", "))]
    };
    respond(200, &json!({ name: page }), headers)
}

/// The offset and the filters, as hex so the cursor is one opaque word.
fn encode_cursor(offset: usize, filter: &[(String, String)]) -> String {
    let kept: Vec<(String, String)> = filter
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "limit" | "page_info" | "fields"))
        .cloned()
        .collect();
    let plain = form_urlencoded::Serializer::new(format!("{offset}|"))
        .extend_pairs(kept)
        .finish();
    plain.bytes().map(|b| format!("{b:02x}")).collect()
}

fn decode_cursor(cursor: &str) -> Option<(usize, Vec<(String, String)>)> {
    let bytes: Option<Vec<u8>> = (0..cursor.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(cursor.get(i..i + 2)?, 16).ok())
        .collect();
    let plain = String::from_utf8(bytes?).ok()?;
    let (offset, filter) = plain.split_once('|')?;
    let filter = form_urlencoded::parse(filter.as_bytes())
        .into_owned()
        .collect();
    Some((offset.parse().ok()?, filter))
}

/// `PUT /orders/{id}.json` with `{"order": {…}}`: the fields given replace the order's.
fn update_order(data: &mut ShopifyData, id: Option<u64>, body: &[u8]) -> Response {
    let Ok(request) = serde_json::from_slice::<Value>(body) else {
        return errors(400, json!("Invalid JSON in the request body"));
    };
    let Some(fields) = request.get("order").and_then(Value::as_object) else {
        return errors(
            400,
            json!({"order": "Required parameter missing or invalid"}),
        );
    };
    let Some(order) = data
        .orders
        .iter_mut()
        .find(|o| id.is_some() && o["id"].as_u64() == id)
    else {
        return not_found();
    };
    for (k, v) in fields {
        if k != "id" {
            order[k.as_str()] = v.clone();
        }
    }
    respond(200, &json!({ "order": order }), Vec::new())
}

/// `POST /inventory_levels/set.json` with `location_id`, `inventory_item_id`, `available`.
fn set_level(data: &mut ShopifyData, body: &[u8]) -> Response {
    let Ok(request) = serde_json::from_slice::<Value>(body) else {
        return errors(400, json!("Invalid JSON in the request body"));
    };
    let number = |k: &str| {
        request[k]
            .as_i64()
            .or_else(|| request[k].as_str().and_then(|s| s.parse().ok()))
    };
    let (Some(location), Some(item), Some(available)) = (
        number("location_id").and_then(|n| u64::try_from(n).ok()),
        number("inventory_item_id").and_then(|n| u64::try_from(n).ok()),
        number("available"),
    ) else {
        return errors(
            422,
            json!({"base": ["location_id, inventory_item_id and available are required numbers"]}),
        );
    };
    if !data
        .locations
        .iter()
        .any(|l| l["id"].as_u64() == Some(location))
    {
        return not_found();
    }
    let tracked = data
        .products
        .iter()
        .flat_map(|p| p["variants"].as_array().into_iter().flatten())
        .find(|v| v["inventory_item_id"].as_u64() == Some(item))
        .map(|v| !v["inventory_management"].is_null());
    match tracked {
        None => return not_found(),
        Some(false) => {
            return errors(
                422,
                json!(["Inventory item does not have inventory tracking enabled"]),
            );
        }
        Some(true) => {}
    }
    let at = |l: &&mut Value| {
        l["location_id"].as_u64() == Some(location) && l["inventory_item_id"].as_u64() == Some(item)
    };
    let updated = if let Some(existing) = data.levels.iter_mut().find(at) {
        existing["available"] = json!(available);
        existing.clone()
    } else {
        let new = level(item, location, available);
        data.levels.push(new.clone());
        new
    };
    respond(200, &json!({ "inventory_level": updated }), Vec::new())
}
