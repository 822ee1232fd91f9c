//! SigV4: signing a request with the client's credentials, for the signing name and
//! region the endpoint asks for.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_credential_types::provider::ProvideCredentials;

use apigw_runtime::http::ServiceInfo;

use crate::transport::error_chain;
use crate::{Client, endpoint};

/// Why a request could not be signed.
pub(crate) enum SignFailure {
    /// The credential chain found nothing.
    NoCredentials,
    /// Anything else, one line.
    Other(String),
}

/// The credentials of `provider` now (cached by the provider where it caches).
pub(crate) async fn credentials(
    provider: &aws_credential_types::provider::SharedCredentialsProvider,
) -> Result<Credentials, SignFailure> {
    provider.provide_credentials().await.map_err(|e| match e {
        aws_credential_types::provider::error::CredentialsError::CredentialsNotLoaded(_) => {
            SignFailure::NoCredentials
        }
        // One line: a provider's report may span several.
        e => SignFailure::Other(format!(
            "Unable to locate credentials: {}",
            error_chain(&e)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        )),
    })
}

impl Client {
    /// Signs `request` with `credentials` for the name and region the endpoint asks
    /// for (else the service's and the client's).
    pub(crate) fn sign(
        &self,
        service: &ServiceInfo,
        endpoint: &endpoint::ResolvedEndpoint,
        credentials: &Credentials,
        request: &mut http::Request<Vec<u8>>,
    ) -> Result<(), String> {
        let identity: aws_smithy_runtime_api::client::identity::Identity =
            credentials.clone().into();
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            // The endpoint's auth scheme may sign for another name or region (a global
            // endpoint signed for its home region, a FIPS host).
            .region(
                endpoint
                    .signing_region
                    .as_deref()
                    .unwrap_or(&self.inner.endpoints.region),
            )
            .name(
                endpoint
                    .signing_name
                    .as_deref()
                    .unwrap_or(service.signing_name),
            )
            .time(SystemTime::now())
            .settings(aws_sigv4::http_request::SigningSettings::default())
            .build()
            .map_err(|e| format!("cannot sign: {e}"))?
            .into();
        let headers: Vec<(&str, &str)> = request
            .headers()
            .iter()
            .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str(), v)))
            .collect();
        let signable = aws_sigv4::http_request::SignableRequest::new(
            request.method().as_str(),
            request.uri().to_string(),
            headers.into_iter(),
            aws_sigv4::http_request::SignableBody::Bytes(request.body()),
        )
        .map_err(|e| format!("cannot sign: {e}"))?;
        let (instructions, _signature) = aws_sigv4::http_request::sign(signable, &params)
            .map_err(|e| format!("cannot sign: {e}"))?
            .into_parts();
        instructions.apply_to_request_http1x(request);
        Ok(())
    }
}
