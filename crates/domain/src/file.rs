//! ARC-5: which uploads are accepted. The type is decided by the bytes, never by the name.

use time::OffsetDateTime;

use crate::{AccountId, DomainError, FileId, OrgId};

pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Pdf,
    Jpeg,
    Png,
}

impl FileType {
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
        }
    }

    pub fn from_mime(mime: &str) -> Option<Self> {
        [FileType::Pdf, FileType::Jpeg, FileType::Png]
            .into_iter()
            .find(|t| t.mime() == mime)
    }
}

/// ARC-5: an uploaded file's metadata as stored; the bytes live under the data directory by
/// SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub id: FileId,
    pub sha256: String,
    pub size: i64,
    pub file_type: FileType,
    pub original_name: String,
    /// The uploader.
    pub account: AccountId,
    /// The uploader's acting org: downloads are allowed within its scope.
    pub org: OrgId,
    pub province: Option<OrgId>,
    pub created_at: OffsetDateTime,
}

/// An upload already checked by `check_upload` and put in the blob store.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub sha256: String,
    pub size: i64,
    pub file_type: FileType,
    pub original_name: String,
    pub account: AccountId,
    pub org: OrgId,
    pub province: Option<OrgId>,
    pub created_at: OffsetDateTime,
}

/// Checks size and content; returns the detected type.
pub fn check_upload(bytes: &[u8]) -> Result<FileType, DomainError> {
    if bytes.is_empty() {
        return Err(
            DomainError::new("empty_file", "上传的文件是空的：请重新选择文件")
                .rule("ARC-5")
                .field("file"),
        );
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(DomainError::new(
            "file_too_large",
            format!(
                "文件大小为{:.1}MB，超过20MB的上限：请压缩或分页扫描后再上传",
                bytes.len() as f64 / 1_048_576.0
            ),
        )
        .rule("ARC-5")
        .field("file"));
    }
    if bytes.starts_with(b"%PDF-") {
        Ok(FileType::Pdf)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(FileType::Jpeg)
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Ok(FileType::Png)
    } else {
        Err(DomainError::new(
            "unsupported_file_type",
            "只能上传 PDF、JPEG 或 PNG 文件（按文件内容判断，改扩展名无效）：请将材料扫描或导出为这几种格式",
        )
        .rule("ARC-5")
        .field("file"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_comes_from_content() {
        assert_eq!(check_upload(b"%PDF-1.7 ...").unwrap(), FileType::Pdf);
        assert_eq!(
            check_upload(&[0xFF, 0xD8, 0xFF, 0xE0]).unwrap(),
            FileType::Jpeg
        );
        assert_eq!(
            check_upload(b"\x89PNG\r\n\x1a\n....").unwrap(),
            FileType::Png
        );
        assert_eq!(
            check_upload(b"MZ\x90\x00").unwrap_err().code,
            "unsupported_file_type"
        );
        assert_eq!(check_upload(b"").unwrap_err().code, "empty_file");
        assert_eq!(
            check_upload(&vec![b'%'; MAX_FILE_BYTES + 1])
                .unwrap_err()
                .code,
            "file_too_large"
        );
    }
}
