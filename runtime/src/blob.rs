//! The `blob` shape: an owned byte buffer.

/// Binary data from a Smithy `blob` member (sent as standard base64).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Blob(Vec<u8>);

impl Blob {
    /// Wraps the given bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self(bytes.into())
    }

    /// Returns the owned bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

/// `blob.as_ref()` gives the bytes (the only `AsRef` impl, so it always infers).
impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }
}

impl From<Blob> for Vec<u8> {
    fn from(blob: Blob) -> Self {
        blob.0
    }
}
