//! A form posted as multipart that repeats fields and carries several files (the meeting form:
//! the roster's tick boxes and the photos or minutes taken on the phone), checked for the
//! session's CSRF token like every form.

use axum::extract::multipart::MultipartRejection;
use axum::extract::Multipart;

use super::shell::{PageActor, PageError};

pub struct MultipartForm {
    /// Every text field in the order sent, repeated names kept.
    pub pairs: Vec<(String, String)>,
    /// The non-empty files of the file field: (file name, bytes).
    pub files: Vec<(String, Vec<u8>)>,
}

impl MultipartForm {
    pub async fn read(
        page: &PageActor,
        form: Result<Multipart, MultipartRejection>,
        file_field: &str,
    ) -> Result<MultipartForm, PageError> {
        let mut form = form.map_err(|_| PageError::BadForm)?;
        let mut pairs = Vec::new();
        let mut files = Vec::new();
        while let Some(field) = form.next_field().await.map_err(|_| PageError::BadForm)? {
            let name = field.name().unwrap_or_default().to_string();
            if name == file_field {
                let file_name = field.file_name().unwrap_or_default().to_string();
                let bytes = field.bytes().await.map_err(|_| PageError::BadForm)?;
                if !bytes.is_empty() {
                    files.push((file_name, bytes.to_vec()));
                }
            } else {
                let text = field.text().await.map_err(|_| PageError::BadForm)?;
                pairs.push((name, text));
            }
        }
        let csrf = pairs
            .iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.as_str());
        if !page.csrf_matches(csrf) {
            return Err(PageError::Csrf);
        }
        Ok(MultipartForm { pairs, files })
    }
}
