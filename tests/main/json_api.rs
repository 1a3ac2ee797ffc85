//! JSON shops over real HTTP: JSON files read as XML by every statement, `fetch … pages`
//! (number, link, cursor), and `json batch N` bodies with the shop's limit and item errors.
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::{Value, json};
use zynk::demo::{WooData, WooShop, woo_orders, woo_products, woo_variations};

use crate::harness::Project;
use crate::support::server::{TestResponse, TestServer};

/// Diagnostic text without miette's line wrapping and gutter.
fn flat(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| !["│", "·"].contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The demo WooCommerce shop with `orders` orders and the key `ck_k`, secret `cs_s`.
fn woo_shop(orders: usize) -> WooShop {
    WooShop::start(
        WooData {
            orders: woo_orders(orders),
            products: woo_products(),
            variations: woo_variations(),
            consumer_key: "ck_k".into(),
            consumer_secret: "cs_s".into(),
            requests: Vec::new(),
        },
        "127.0.0.1:0",
    )
    .expect("shop")
}

fn read_json(path: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("the file")).expect("JSON")
}

#[test]
fn a_json_file_is_read_as_xml_by_count_split_foreach_and_map() {
    let project = Project::new();
    project.write(
        "orders.json",
        r#"[{"id": 1, "line_items": [{"sku": "a&b"}, {"sku": "C"}]},
            {"id": 2, "line_items": [{"sku": "D"}], "first name": "Zoë"},
            {"id": 3, "line_items": []}]"#,
    );
    let orders = project.path("orders.json");
    let orders = orders.to_str().expect("utf-8");
    let script = project.script(&format!(
        r#"workflow "json"
if count `/json/item` in "{orders}" == 3 {{
    log "three orders"
}}
split "{orders}" by xpath `/json/item` limit 2 into "Chunks"
foreach order in "{orders}" by xpath `/json/item` {{
    log "order ${{order `id`}} has ${{order `count(line_items)`}} lines"
}}
map "{orders}" to "skus.xml" {{
    for each `/json/item/line_items` as "Products/Product" {{
        "Sku" = `sku`
        "Name" = `../first_x0020_name` if not empty
    }}
}}
"#
    ));
    let out = project.zynk(&["run", script.to_str().expect("utf-8"), "--data", "data"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("three orders"), "{}", out.stdout);
    assert!(out.stdout.contains("order 1 has 2 lines"), "{}", out.stdout);
    assert!(out.stdout.contains("order 3 has 0 lines"), "{}", out.stdout);
    assert_eq!(
        out.stdout.matches("has 1 lines").count(),
        1,
        "{}",
        out.stdout
    );
    let work = project.workdir("json");
    let chunk = std::fs::read_to_string(work.join("Chunks/orders_1.xml")).expect("chunk 1");
    assert_eq!(chunk.matches("<item>").count(), 2, "{chunk}");
    assert!(chunk.contains("<sku>a&amp;b</sku>"), "{chunk}");
    assert!(work.join("Chunks/orders_2.xml").is_file());
    let skus = std::fs::read_to_string(work.join("skus.xml")).expect("skus");
    assert_eq!(skus.matches("<Product>").count(), 3, "{skus}");
    assert!(
        skus.contains("<Sku>a&amp;b</Sku>") && skus.contains("<Name>Zoë</Name>"),
        "{skus}"
    );

    // JSON given to an import is named as JSON, with the way to map it.
    let script = project.script(&format!(
        "workflow \"imp\"\nimport sales orders from \"{orders}\" success \"s.xml\" fail \"f.xml\"\n"
    ));
    let out = project.zynk(&["run", script.to_str().expect("utf-8"), "--data", "data"]);
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("zynk::json::not_connect_xml"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("malformed_xml"), "{}", out.stderr);

    // JSON that is not JSON is named so, with where.
    project.write("cut.json", "[{\"id\": 1},\n {\"id\": ");
    let out = project.zynk(&["xpath", "/json/item", "cut.json"]);
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("zynk::json::invalid"), "{}", out.stderr);
    assert!(
        out.stderr.contains("not valid JSON at 2:"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("malformed_xml"), "{}", out.stderr);
}

#[test]
fn fetch_follows_link_and_cursor_pages_into_one_document() {
    let throttled = Arc::new(AtomicU32::new(0));
    let seen = Arc::clone(&throttled);
    let server = TestServer::start(move |req| {
        let path = req.path.as_str();
        if let Some(page) = path.strip_prefix("/link?page=") {
            let n: u32 = page.parse().unwrap_or(0);
            // Page 2 is throttled once: the fetch waits as Retry-After says and goes on.
            if n == 2 && seen.fetch_add(1, Ordering::SeqCst) == 0 {
                return TestResponse::status(429, "slow down").header("Retry-After", "0");
            }
            let mut r =
                TestResponse::ok(json!([{"page": n, "k": 1}, {"page": n, "k": 2}]).to_string());
            if n < 3 {
                r = r.header(
                    "Link",
                    format!(
                        "</link?page={}>; rel=\"next\", </link?page=1>; rel=\"first\"",
                        n + 1
                    ),
                );
            }
            return r;
        }
        if path == "/cursor" || path.starts_with("/cursor?") {
            let (items, next) = match path {
                "/cursor" => (json!(["a", "b"]), json!("c2")),
                "/cursor?after=c2" => (json!(["c"]), json!("c3")),
                _ => (json!(["d"]), Value::Null),
            };
            return TestResponse::ok(json!({"data": items, "meta": {"next": next}}).to_string());
        }
        // WordPress without a page count: 400 past the last page.
        if let Some(page) = path.strip_prefix("/wp?page=") {
            return match page {
                "1" | "2" => TestResponse::ok(format!("[{page}]")),
                _ => TestResponse::status(
                    400,
                    r#"{"code":"rest_post_invalid_page_number","message":"The page number requested is larger than the number of pages available."}"#,
                ),
            };
        }
        if path.starts_with("/numbers") {
            return TestResponse::ok("[1, 2]").header("X-WP-TotalPages", "5");
        }
        TestResponse::status(404, "no")
    });
    let project = Project::new();
    let script = project.script(&format!(
        r#"workflow "pages"
fetch "{link}" to "link.json" pages link retries 1
fetch "{cursor}" to "cursor.json" pages cursor cursor "meta/next" page_param "after"
fetch "{wp}" to "wp.json" pages number
"#,
        wp = server.url("/wp"),
        link = server.url("/link?page=1"),
        cursor = server.url("/cursor"),
    ));
    let out = project.zynk(&["run", script.to_str().expect("utf-8"), "--data", "data"]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("3 pages, 6 records"), "{}", out.stdout);
    let work = project.workdir("pages");
    let pages: Vec<u64> = read_json(&work.join("link.json"))
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v["page"].as_u64().unwrap_or(0))
        .collect();
    assert_eq!(pages, [1, 1, 2, 2, 3, 3]);
    assert_eq!(
        read_json(&work.join("cursor.json")),
        json!({"data": ["a", "b", "c", "d"]})
    );
    assert!(std::fs::read_dir(&work).expect("dir").all(|e| {
        let name = e.expect("entry").file_name().to_string_lossy().into_owned();
        !name.contains(".part")
    }));

    // More pages than max_pages: a failure, and nothing saved.
    let script = project.script(&format!(
        "workflow \"bound\"\nfetch \"{}\" to \"n.json\" pages number max_pages 3\n",
        server.url("/numbers?per_page=2")
    ));
    let out = project.zynk(&["run", script.to_str().expect("utf-8"), "--data", "data"]);
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("zynk::http::too_many_pages"),
        "{}",
        out.stderr
    );
    assert!(!project.workdir("bound").join("n.json").exists());
    let numbers: Vec<String> = server
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/numbers"))
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(
        numbers,
        [
            "/numbers?per_page=2&page=1",
            "/numbers?per_page=2&page=2",
            "/numbers?per_page=2&page=3"
        ]
    );
}

#[test]
fn json_batches_keep_the_shops_limit_and_item_errors_fail() {
    let shop = woo_shop(150);
    let project = Project::new();
    let updates: String = (5001..5151)
        .map(|id| {
            format!("<update><id type=\"number\">{id}</id><status>completed</status></update>")
        })
        .collect();
    project.write("all.xml", &format!("<batch>{updates}</batch>"));
    project.write(
        "bad.xml",
        "<batch><update><id type=\"number\">999999</id><status>completed</status></update></batch>",
    );
    let send = |file: &str, batch: &str| {
        let path = project.path(file);
        let script = project.script(&format!(
            "workflow \"send\"\nnotify \"{}/wp-json/wc/v3/orders/batch\" with \"{}\" json {batch} to \"answer.json\" auth \"ck_k\" \"cs_s\"\n",
            shop.url(),
            path.display()
        ));
        project.zynk(&["run", script.to_str().expect("utf-8"), "--data", "data"])
    };

    // 150 items in one request: WooCommerce's 413, its message quoted, nothing changed.
    let out = send("all.xml", "");
    assert_ne!(out.code, 0);
    let said = flat(&out.stderr);
    assert!(said.contains("413"), "{}", out.stderr);
    assert!(
        said.contains("Unable to accept more than 100 items for this request."),
        "{}",
        out.stderr
    );
    assert!(shop.with(|d| {
        d.orders
            .iter()
            .all(|o| o["status"] != "completed" || o["id"].as_u64() > Some(5150))
    }));

    // In batches of 100: two requests, every order completed, the answers merged.
    let out = send("all.xml", "batch 100");
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let items: Vec<usize> = shop.with(|d| {
        d.requests
            .iter()
            .filter(|r| r.status == 200)
            .map(|r| r.items)
            .collect()
    });
    assert_eq!(items, [100, 50]);
    let done = shop.with(|d| {
        d.orders
            .iter()
            .filter(|o| o["status"] == "completed" && o["id"].as_u64() <= Some(5150))
            .count()
    });
    assert_eq!(done, 150);
    let answer = read_json(&project.workdir("send").join("answer.json"));
    assert_eq!(answer["update"].as_array().map(Vec::len), Some(150));
    // The body was JSON with numbers where the XML said so.
    assert_eq!(answer["update"][0]["id"], json!(5001));

    // An unknown id: a 200 whose item carries an error fails the statement.
    let out = send("bad.xml", "batch 100");
    assert_ne!(out.code, 0);
    let said = flat(&out.stderr);
    assert!(said.contains("zynk::http::item_errors"), "{}", out.stderr);
    assert!(
        said.contains("update id 999999: Invalid ID. (woocommerce_rest_shop_order_invalid_id)"),
        "{}",
        out.stderr
    );
}

#[test]
fn oauth2_tokens_are_fetched_once_and_again_after_a_401() {
    let tokens = Arc::new(AtomicU32::new(0));
    let api_calls = Arc::new(AtomicU32::new(0));
    let (t, a) = (Arc::clone(&tokens), Arc::clone(&api_calls));
    let server = TestServer::start(move |req| {
        if req.path == "/token" {
            let basic = req.header("authorization").unwrap_or("").to_string();
            // client "zynk", secret "s3cr3t-client"
            if basic != "Basic enluazpzM2NyM3QtY2xpZW50"
                || !req.body_text().contains("grant_type=client_credentials")
            {
                return TestResponse::status(401, r#"{"error":"invalid_client"}"#);
            }
            let n = t.fetch_add(1, Ordering::SeqCst) + 1;
            return TestResponse::ok(json!({"access_token": format!("tok-{n}"), "token_type": "Bearer", "expires_in": 3600}).to_string());
        }
        let call = a.fetch_add(1, Ordering::SeqCst) + 1;
        // The first token is revoked after two calls: the third gets 401 and a new token.
        let valid = format!(
            "Bearer tok-{}",
            if call <= 2 {
                1
            } else {
                t.load(Ordering::SeqCst).max(2)
            }
        );
        if req.header("authorization") == Some(valid.as_str()) {
            TestResponse::ok("[]")
        } else {
            TestResponse::status(
                401,
                r#"{"code":"invalid_token","message":"The access token expired"}"#,
            )
        }
    });
    let project = Project::new();
    let fetch = |n: u32| {
        format!(
            "fetch \"{}\" to \"a{n}.json\" oauth2 \"{}\" client \"zynk\" env(\"CLIENT_SECRET\")\n",
            server.url("/api"),
            server.url("/token")
        )
    };
    let script = project.script(&format!(
        "workflow \"oauth\"\n{}{}{}",
        fetch(1),
        fetch(2),
        fetch(3)
    ));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zynk"))
        .args(["run", script.to_str().expect("utf-8"), "--data", "data"])
        .current_dir(project.dir.path())
        .env("CLIENT_SECRET", "s3cr3t-client")
        .env("NO_COLOR", "1")
        .output()
        .expect("zynk runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert_eq!(
        tokens.load(Ordering::SeqCst),
        2,
        "one token, and one more after the 401"
    );
    assert_eq!(api_calls.load(Ordering::SeqCst), 4);
    assert!(!stdout.contains("s3cr3t-client") && !stderr.contains("s3cr3t-client"));
    assert!(!stdout.contains("tok-1") && !stderr.contains("tok-1"));

    // Half the settings is a check error.
    let script = project.script(&format!(
        "workflow \"half\"\nfetch \"{}\" to \"x.json\" oauth2 \"{}\"\n",
        server.url("/api"),
        server.url("/token")
    ));
    let out = project.zynk(&["check", script.to_str().expect("utf-8")]);
    assert_ne!(out.code, 0);
    assert!(
        flat(&out.stderr).contains("OAuth2 needs both `oauth2` (the token endpoint) and `client`"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_plan_says_pages_and_json_batches() {
    let project = Project::new();
    project.write("batch.xml", "<batch/>");
    let batch = project.path("batch.xml");
    let script = project.script(&format!(
        "workflow \"plan\"\nfetch \"https://shop.example/o\" to \"o.json\" pages link max_pages 20\nnotify \"https://shop.example/b\" with \"{}\" json batch 50\n",
        batch.display()
    ));
    let out = project.zynk(&["plan", script.to_str().expect("utf-8"), "--data", "data"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("every page by `pages link`, at most 20, into one document"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("sent as JSON, at most 50 records a request"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_json_download_read_directly_by_an_import_says_to_map_it_first() {
    let shop = woo_shop(3);
    let project = Project::new();
    let script = project.script(&format!(
        "workflow \"direct\"\nfetch \"{}/wp-json/wc/v3/orders?status=processing\" to \"orders.json\" auth \"ck_k\" \"cs_s\"\nimport sales orders from \"orders.json\" success \"s.xml\" fail \"f.xml\"\n",
        shop.url()
    ));
    let out = project.zynk(&["run", script.to_str().expect("utf-8"), "--data", "data"]);
    assert_eq!(out.code, 1, "{}\n{}", out.stdout, out.stderr);
    let said = flat(&out.stderr);
    assert!(
        said.contains("it is JSON, not XML: to import it, `map` the JSON"),
        "{}",
        out.stderr
    );
    // Nothing reached the ledger.
    assert!(
        !project.path("data/ledger.sqlite").exists() || {
            let conn =
                rusqlite::Connection::open(project.path("data/ledger.sqlite")).expect("ledger");
            conn.query_row("SELECT count(*) FROM sales_order", [], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap_or(0)
                == 0
        }
    );
}
