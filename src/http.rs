//! Placeholder for the HTTP client (replaced by the real client on merge).
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug)]
pub struct Client;
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
}
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub basic_auth: Option<(String, String)>,
    pub body: Body,
    pub timeout: Duration,
    pub retries: u32,
    pub retry_wait: Duration,
    pub user_agent: String,
}
#[derive(Debug, Clone)]
pub enum Body {
    None,
    Text(String),
    File(PathBuf),
    Form(Vec<(String, String)>),
}
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub bytes: u64,
    pub attempts: u32,
    pub content_type: Option<String>,
}
#[derive(Debug, Clone, Copy)]
pub enum FailureKind {
    Fail,
    NotFound,
    NotAuthorised,
}
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("http not available")]
pub struct HttpError;
impl HttpError {
    pub fn kind(&self) -> FailureKind {
        FailureKind::Fail
    }
}
impl Request {
    pub fn new(method: Method, url: impl Into<String>) -> Request {
        Request {
            method,
            url: url.into(),
            headers: vec![],
            basic_auth: None,
            body: Body::None,
            timeout: Duration::from_secs(120),
            retries: 1,
            retry_wait: Duration::from_secs(1),
            user_agent: String::new(),
        }
    }
}
impl Client {
    pub fn new() -> Result<Client, HttpError> {
        Ok(Client)
    }
    pub fn execute(&self, _req: &Request, _output: Option<&Path>) -> Result<Response, HttpError> {
        Err(HttpError)
    }
}
