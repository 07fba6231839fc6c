//! The court's own signature of a seal, beside the Ed25519 one: CMS SignedData of
//! `manifest.json` (detached, DER, `manifest.json.p7s`) made with the court's X.509
//! certificate and key from a PKCS#12 file, as the national certifying centre issues them.
//! Anyone checks it with `openssl cms -verify -binary -inform DER -in manifest.json.p7s
//! -content manifest.json -CAfile ca.pem`. RSA and ECDSA as libssl has them; GOST is not
//! supported yet.
//!
//! All of it is OpenSSL's (the `openssl` crate over the system's libssl): no ASN.1 here.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use openssl::asn1::Asn1Time;
use openssl::cms::{CMSOptions, CmsContentInfo};
use openssl::nid::Nid;
use openssl::pkcs7::{Pkcs7, Pkcs7Flags};
use openssl::pkcs12::Pkcs12;
use openssl::pkey::{PKey, Private};
use openssl::stack::Stack;
use openssl::x509::X509StoreContext;
use openssl::x509::store::X509StoreBuilder;
use openssl::x509::verify::X509VerifyParam;
use openssl::x509::{X509, X509Ref, X509VerifyResult};

use super::SealError;
use crate::config::Signing;

/// The CMS signature's file in a part folder.
pub const CMS_SIGNATURE: &str = "manifest.json.p7s";

/// The court's certificate, its key and the certificates between it and the root.
pub struct CourtCertificate {
    key: PKey<Private>,
    certificate: X509,
    chain: Stack<X509>,
}

impl std::fmt::Debug for CourtCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        write!(f, "CourtCertificate({})", describe(&self.certificate))
    }
}

fn failed(path: &Path, reason: impl std::fmt::Display) -> SealError {
    SealError::Cms {
        path: path.to_owned(),
        reason: reason.to_string(),
    }
}

impl CourtCertificate {
    /// The certificate `signing` names; `None` when none is configured.
    pub fn load(signing: &Signing) -> Result<Option<Self>, SealError> {
        if signing.pkcs12.is_empty() {
            return Ok(None);
        }
        let path = PathBuf::from(&signing.pkcs12);
        let password_path = Path::new(&signing.pkcs12_password_file);
        let password = if signing.pkcs12_password_file.is_empty() {
            String::new()
        } else {
            std::fs::read_to_string(password_path)
                .map_err(|error| SealError::KeyFile {
                    path: password_path.to_owned(),
                    source: Arc::new(error),
                })?
                .trim_end_matches(['\n', '\r'])
                .to_owned()
        };
        let bytes = std::fs::read(&path).map_err(|error| SealError::KeyFile {
            path: path.clone(),
            source: Arc::new(error),
        })?;
        let parsed = Pkcs12::from_der(&bytes)
            .and_then(|pkcs12| pkcs12.parse2(&password))
            .map_err(|error| {
                failed(
                    &path,
                    format!("not a PKCS#12 file this password opens ({error})"),
                )
            })?;
        let (Some(key), Some(certificate)) = (parsed.pkey, parsed.cert) else {
            return Err(failed(&path, "it holds no key and certificate"));
        };
        let chain = match parsed.ca {
            Some(chain) => chain,
            None => Stack::new().map_err(|error| failed(&path, error))?,
        };
        let court = Self {
            key,
            certificate,
            chain,
        };
        court.check_valid_now(&path)?;
        Ok(Some(court))
    }

    /// A certificate outside its validity signs nothing: the seal waits for a valid one.
    fn check_valid_now(&self, path: &Path) -> Result<(), SealError> {
        let now = Asn1Time::days_from_now(0).map_err(|error| failed(path, error))?;
        if self.certificate.not_before() > now {
            return Err(failed(
                path,
                format!(
                    "the court's certificate is valid only from {}",
                    self.certificate.not_before()
                ),
            ));
        }
        if self.certificate.not_after() < now {
            return Err(failed(
                path,
                format!(
                    "the court's certificate expired on {}: a new one is needed from the certifying centre",
                    self.certificate.not_after()
                ),
            ));
        }
        Ok(())
    }

    /// The detached CMS signature (DER) of `manifest`, with the signing time and the chain.
    pub fn sign(&self, manifest: &[u8]) -> Result<Vec<u8>, SealError> {
        CmsContentInfo::sign(
            Some(&self.certificate),
            Some(&self.key),
            Some(&self.chain),
            Some(manifest),
            CMSOptions::DETACHED | CMSOptions::BINARY,
        )
        .and_then(|signed| signed.to_der())
        .map_err(|error| failed(Path::new(CMS_SIGNATURE), error))
    }

    /// Whole days until the certificate expires.
    pub fn days_left(&self) -> i32 {
        Asn1Time::days_from_now(0)
            .and_then(|now| now.diff(self.certificate.not_after()))
            .map_or(0, |left| left.days)
    }

    /// Who signs: the certificate's subject, and its validity.
    pub fn describe(&self) -> String {
        describe(&self.certificate)
    }
}

/// Subject (common name, organisation, BIN where the subject holds one) and validity.
fn describe(certificate: &X509Ref) -> String {
    let subject = certificate.subject_name();
    let mut parts: Vec<String> = subject
        .entries()
        .filter_map(|entry| {
            let value = entry.data().to_string().ok()?;
            let nid = entry.object().nid();
            let label = match nid {
                Nid::COMMONNAME => "CN",
                Nid::ORGANIZATIONNAME => "O",
                Nid::SERIALNUMBER => "serialNumber",
                Nid::ORGANIZATIONALUNITNAME => "OU",
                _ => return None,
            };
            Some(format!("{label}={value}"))
        })
        .collect();
    parts.push(format!(
        "valid {} – {}",
        certificate.not_before(),
        certificate.not_after()
    ));
    parts.join(", ")
}

/// Why a court's CMS signature does not hold, classified by OpenSSL's codes (the chain's
/// `X509_V_ERR_*`, then the CMS library's reason), never by its words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{path}: {reason}", path = .path.display())]
    Centre { path: PathBuf, reason: String },
    #[error("it is not a CMS signature (DER)")]
    NotCms,
    #[error("the court's certificate had expired at the seal's time ({at})")]
    Expired { at: String },
    #[error("the court's certificate was not yet valid at the seal's time ({at})")]
    NotYetValid { at: String },
    #[error("the court's certificate is not issued by a configured certifying centre")]
    UnknownIssuer,
    #[error("the court's certificate may not sign: {0}")]
    Certificate(String),
    #[error("it does not match manifest.json (the manifest was changed after signing)")]
    ContentChanged,
    #[error("the signature does not hold")]
    SignatureFails,
    #[error("it does not hold: {0}")]
    Other(String),
}

/// The CMS library's reasons for a refused signature, from OpenSSL's `cmserr.h`; the
/// `openssl` crate does not name them.
const ERR_LIB_CMS: i32 = 46;
const CMS_R_CONTENT_VERIFY_ERROR: i32 = 109;
const CMS_R_VERIFICATION_FAILURE: i32 = 158;

/// Checks the CMS signature `p7s` of `manifest` against the certifying centres' certificates
/// in `centres` (PEM files), at the seal's time `at`: returns who signed, or why it does not
/// hold. OpenSSL's `CMS_verify` gives the verdict; the refusal is named by its codes.
pub fn verify(
    p7s: &[u8],
    manifest: &[u8],
    centres: &[PathBuf],
    at: DateTime<Utc>,
) -> Result<String, Refusal> {
    let other = |error: openssl::error::ErrorStack| Refusal::Other(error.to_string());
    let mut store = X509StoreBuilder::new().map_err(other)?;
    for centre in centres {
        let refused = |reason: String| Refusal::Centre {
            path: centre.clone(),
            reason,
        };
        let pem = std::fs::read(centre).map_err(|error| refused(error.to_string()))?;
        let certificates = X509::stack_from_pem(&pem)
            .map_err(|error| refused(format!("not PEM certificates ({error})")))?;
        for certificate in certificates {
            store.add_cert(certificate).map_err(other)?;
        }
    }
    let mut param = X509VerifyParam::new().map_err(other)?;
    param.set_time(at.timestamp());
    store.set_param(&param).map_err(other)?;
    let store = store.build();
    let mut signed = CmsContentInfo::from_der(p7s).map_err(|_| Refusal::NotCms)?;
    let pkcs7 = Pkcs7::from_der(p7s).ok();
    let signer = pkcs7.as_ref().and_then(|pkcs7| {
        let none = Stack::new().ok()?;
        pkcs7
            .signers(&none, Pkcs7Flags::empty())
            .ok()?
            .iter()
            .next()
            .map(ToOwned::to_owned)
    });
    if let Err(error) = signed.verify(None, Some(&store), Some(manifest), None, CMSOptions::BINARY)
    {
        let carried = pkcs7
            .as_ref()
            .and_then(|pkcs7| pkcs7.signed()?.certificates());
        let chain = signer
            .as_ref()
            .and_then(|signer| chain_refusal(&store, signer, carried, at));
        return Err(chain.unwrap_or_else(|| cms_refusal(&error)));
    }
    Ok(signer.as_deref().map(describe).unwrap_or_default())
}

/// Why the signer's certificate does not lead to a configured centre at `at`, if it does not.
fn chain_refusal(
    store: &openssl::x509::store::X509Store,
    signer: &X509Ref,
    carried: Option<&openssl::stack::StackRef<X509>>,
    at: DateTime<Utc>,
) -> Option<Refusal> {
    let mut chain = Stack::new().ok()?;
    for certificate in carried.into_iter().flatten() {
        chain.push(certificate.to_owned()).ok()?;
    }
    let mut context = X509StoreContext::new().ok()?;
    let result = context
        .init(store, signer, &chain, |context| {
            context.verify_cert().map(|_| context.error())
        })
        .ok()?;
    if result == X509VerifyResult::OK {
        return None;
    }
    let at = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    Some(match result.as_raw() {
        openssl_sys::X509_V_ERR_CERT_HAS_EXPIRED => Refusal::Expired { at },
        openssl_sys::X509_V_ERR_CERT_NOT_YET_VALID => Refusal::NotYetValid { at },
        openssl_sys::X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT
        | openssl_sys::X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
        | openssl_sys::X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
        | openssl_sys::X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN
        | openssl_sys::X509_V_ERR_CERT_UNTRUSTED => Refusal::UnknownIssuer,
        _ => Refusal::Certificate(result.error_string().to_owned()),
    })
}

/// The CMS library's reason, when the chain holds.
fn cms_refusal(error: &openssl::error::ErrorStack) -> Refusal {
    let reason = |code| {
        error
            .errors()
            .iter()
            .any(|error| error.library_code() == ERR_LIB_CMS && error.reason_code() == code)
    };
    if reason(CMS_R_CONTENT_VERIFY_ERROR) {
        Refusal::ContentChanged
    } else if reason(CMS_R_VERIFICATION_FAILURE) {
        Refusal::SignatureFails
    } else {
        Refusal::Other(error.to_string())
    }
}
