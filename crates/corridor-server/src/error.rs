//! The API's errors: each keeps its HTTP status and becomes a JSON body
//! `{"error": {"status": 422, "code": "unknown_id", "message": "…"}}`. Internal failures keep their
//! details out of the response.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not the JSON the route expects.
    #[error("{0}")]
    BadRequest(String),
    /// The request names a scenario, link, node or country the dataset does not have.
    #[error("{0}")]
    UnknownId(String),
    /// No such route, or no such item.
    #[error("{0}")]
    NotFound(String),
    /// The route exists but not for this method.
    #[error("{0}")]
    MethodNotAllowed(String),
    /// The body is larger than the limit.
    #[error("the request body is larger than {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The request's Host is not this server (a DNS-rebinding page, or a proxy that was not set up).
    #[error("this server answers to {allowed}, not to `{host}`")]
    ForeignHost {
        /// The Host header as sent.
        host: String,
        /// The host names the server answers to, for the message.
        allowed: String,
    },
    /// Every solver slot is busy.
    #[error("{0} solves are running already; try again in a moment")]
    Busy(usize),
    /// A POST whose body is not declared as JSON (what a cross-site form could send).
    #[error("send the body as JSON with `Content-Type: application/json`")]
    NotJson,
    /// The request (its body included) took longer than the server's request timeout.
    #[error("the request took longer than {seconds} s; send it again in one go")]
    Timeout {
        /// The server's request timeout.
        seconds: f64,
    },
    /// Something failed inside the server; the detail goes to the server's log, not to the client.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    /// The HTTP status the error is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::UnknownId(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::ForeignHost { .. } => StatusCode::MISDIRECTED_REQUEST,
            ApiError::NotJson => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Timeout { .. } => StatusCode::REQUEST_TIMEOUT,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable machine-readable name of the error (`unknown_id`), the `code` field of the JSON body.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::UnknownId(_) => "unknown_id",
            ApiError::NotFound(_) => "not_found",
            ApiError::MethodNotAllowed(_) => "method_not_allowed",
            ApiError::TooLarge { .. } => "too_large",
            ApiError::ForeignHost { .. } => "foreign_host",
            ApiError::NotJson => "not_json",
            ApiError::Busy(_) => "busy",
            ApiError::Timeout { .. } => "timeout",
            ApiError::Internal(_) => "internal",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = serde_json::json!({
            "error": {
                "status": status.as_u16(),
                "code": self.code(),
                "message": self.to_string(),
            }
        });
        (status, Json(body)).into_response()
    }
}
