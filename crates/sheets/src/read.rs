//! Reading the rows of an uploaded member sheet, streamed: csv (UTF-8 with or without BOM, or
//! GBK as Excel writes it) and xlsx (first sheet). Malicious workbooks are refused before any
//! cell is read.

use std::io::{Read, Seek};

use calamine::{DataRef, DataType, Reader, Xlsx};

#[path = "read_csv.rs"]
mod csv;
#[path = "read_xml.rs"]
mod xml;

pub use csv::{csv_rows, MAX_RECORD_BYTES};
pub use xml::MAX_XML_RUN;

/// What a cell held, before any rule is applied.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    Empty,
    Text(String),
    Number(f64),
    /// An Excel date serial (days since 1899-12-30).
    Date(f64),
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("文件无法读取：{0}。请确认是 xlsx 或 csv 格式，并用 Excel 或 WPS 重新另存后再导入")]
    Unreadable(String),
    #[error("文件被拒绝：{0}")]
    Refused(String),
}

/// Limits that keep a hostile file within fixed memory and time.
pub const MAX_SHARED_STRINGS_BYTES: u64 = 128 * 1024 * 1024;
pub const MAX_SHEET_BYTES: u64 = 2 * 1024 * 1024 * 1024;
pub const MAX_COMPRESSION_RATIO: u64 = 200;
pub const MAX_ROWS: u32 = 1_048_576;
pub const MAX_COLUMNS: usize = 64;
/// Excel's own limit for the text of one cell.
pub const MAX_CELL_CHARS: usize = 32_767;
/// Distinct strings a member sheet can need: a few per row of the largest sheet Excel makes.
pub const MAX_SHARED_STRINGS: u64 = 8 * 1_048_576;

pub fn is_xlsx(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04")
}

/// Checks the zip container of an xlsx: sizes and compression ratios of its parts.
fn check_container<R: Read + Seek>(reader: &mut R) -> Result<(), ReadError> {
    let mut zip =
        zip::ZipArchive::new(&mut *reader).map_err(|e| ReadError::Unreadable(e.to_string()))?;
    if zip.len() > 10_000 {
        return Err(ReadError::Refused("压缩包内文件数量异常".into()));
    }
    let mut sheets_total = 0u64;
    let mut shared_strings = None;
    let mut xml_parts = Vec::new();
    for i in 0..zip.len() {
        let f = zip
            .by_index_raw(i)
            .map_err(|e| ReadError::Unreadable(e.to_string()))?;
        let (size, packed) = (f.size(), f.compressed_size().max(1));
        let name = f.name().map(|n| n.to_string()).unwrap_or_default();
        if size > 16 * 1024 * 1024 && size / packed > MAX_COMPRESSION_RATIO {
            return Err(ReadError::Refused(format!(
                "“{name}”的压缩比异常（疑似压缩炸弹）"
            )));
        }
        if name.ends_with("sharedStrings.xml") {
            if size > MAX_SHARED_STRINGS_BYTES {
                return Err(ReadError::Refused(
                    "共享字符串表过大（超过128MB）：请拆分成多个文件导入".into(),
                ));
            }
            shared_strings = Some((i, size));
        }
        if name.starts_with("xl/worksheets/") {
            sheets_total += size;
        }
        if name.ends_with(".xml") || name.ends_with(".rels") {
            xml_parts.push((i, name));
        }
    }
    if sheets_total > MAX_SHEET_BYTES {
        return Err(ReadError::Refused(
            "工作表过大（解压后超过2GB）：请拆分成多个文件导入".into(),
        ));
    }
    if let Some((i, size)) = shared_strings {
        let f = zip
            .by_index(i)
            .map_err(|e| ReadError::Unreadable(e.to_string()))?;
        check_shared_string_count(f, size)?;
    }
    for (i, name) in xml_parts {
        let f = zip
            .by_index(i)
            .map_err(|e| ReadError::Unreadable(e.to_string()))?;
        xml::check_part(f, &name)?;
    }
    Ok(())
}

/// The reader reserves room for the count a workbook declares before reading a string, so a
/// forged `uniqueCount` would allocate without bound: refuse a count no real table of this size
/// could hold (each entry takes at least `<si><t/></si>`, 13 bytes) or beyond the limit.
fn check_shared_string_count(part: impl Read, size: u64) -> Result<(), ReadError> {
    let mut head = Vec::with_capacity(4096);
    part.take(4096)
        .read_to_end(&mut head)
        .map_err(|e| ReadError::Unreadable(e.to_string()))?;
    let head = String::from_utf8_lossy(&head);
    for attr in ["uniqueCount=", "count="] {
        let Some(at) = head.find(attr) else { continue };
        let digits: String = head[at + attr.len()..]
            .chars()
            .skip(1)
            .take_while(char::is_ascii_digit)
            .collect();
        let declared = digits.parse::<u64>().unwrap_or(u64::MAX);
        if declared > MAX_SHARED_STRINGS || declared > size / 13 + 1 {
            return Err(ReadError::Refused(format!(
                "共享字符串表声明了{digits}个字符串，与文件内容不符（疑似恶意文件）：请用 Excel 或 WPS 重新另存后再导入"
            )));
        }
    }
    Ok(())
}

/// Calls `row(number, cells)` for every row of the first sheet, numbers starting at 1 as Excel
/// shows them. Stops early when `row` returns false.
pub fn xlsx_rows<R: Read + Seek>(
    reader: R,
    row: impl FnMut(usize, Vec<CellValue>) -> bool,
) -> Result<(), ReadError> {
    // The workbook reader panics on some malformed parts (found by the fuzz tests: a
    // `<dimension ref="C2:A1">` subtracts past zero): such a file is unreadable, not a crash.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_xlsx(reader, row)))
        .unwrap_or_else(|_| Err(ReadError::Unreadable("工作簿的结构有误，读取时出错".into())))
}

fn read_xlsx<R: Read + Seek>(
    mut reader: R,
    mut row: impl FnMut(usize, Vec<CellValue>) -> bool,
) -> Result<(), ReadError> {
    check_container(&mut reader)?;
    reader
        .rewind()
        .map_err(|e| ReadError::Unreadable(e.to_string()))?;
    let mut book: Xlsx<R> = Xlsx::new(reader).map_err(|e| ReadError::Unreadable(e.to_string()))?;
    let name = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| ReadError::Unreadable("工作簿中没有工作表".into()))?;
    let mut cells = book
        .worksheet_cells_reader(&name)
        .map_err(|e| ReadError::Unreadable(e.to_string()))?;
    if cells.dimensions().end.0 >= MAX_ROWS {
        return Err(ReadError::Refused("工作表声明的行数超出 Excel 上限".into()));
    }
    let mut current: Option<(u32, Vec<CellValue>)> = None;
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| ReadError::Unreadable(e.to_string()))?
    {
        let (r, c) = cell.get_position();
        if r >= MAX_ROWS {
            return Err(ReadError::Refused("工作表行数超出 Excel 上限".into()));
        }
        let c = c as usize;
        if current.as_ref().is_some_and(|(cr, _)| *cr != r) {
            if let Some((cr, values)) = current.take() {
                if !row(cr as usize + 1, values) {
                    return Ok(());
                }
            }
        }
        let (_, values) = current.get_or_insert_with(|| (r, Vec::new()));
        if c >= MAX_COLUMNS {
            continue;
        }
        if values.len() <= c {
            values.resize(c + 1, CellValue::Empty);
        }
        let value = cell.get_value();
        if let Some(s) = value.get_string() {
            if s.chars().count() > MAX_CELL_CHARS {
                return Err(ReadError::Refused(format!(
                    "第{}行第{}列的内容超过{MAX_CELL_CHARS}个字符（Excel 一个单元格的上限）：请检查这一格",
                    r + 1,
                    c + 1
                )));
            }
        }
        values[c] = match value {
            DataRef::Empty => CellValue::Empty,
            DataRef::String(s) => CellValue::Text(s.clone()),
            DataRef::SharedString(s) => CellValue::Text((*s).to_string()),
            DataRef::Int(i) => CellValue::Number(*i as f64),
            DataRef::Float(f) => CellValue::Number(*f),
            DataRef::Bool(b) => CellValue::Text(b.to_string()),
            DataRef::DateTime(d) => CellValue::Date(d.as_f64()),
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => CellValue::Text(s.clone()),
            DataRef::Error(_) => CellValue::Empty,
        };
    }
    if let Some((cr, values)) = current {
        row(cr as usize + 1, values);
    }
    Ok(())
}

/// Reads either format, deciding by the content.
pub fn rows<R: Read + Seek>(
    mut reader: R,
    row: impl FnMut(usize, Vec<CellValue>) -> bool,
) -> Result<(), ReadError> {
    let mut magic = [0u8; 4];
    let n = reader
        .read(&mut magic)
        .map_err(|e| ReadError::Unreadable(e.to_string()))?;
    reader
        .rewind()
        .map_err(|e| ReadError::Unreadable(e.to_string()))?;
    if is_xlsx(&magic[..n]) {
        xlsx_rows(reader, row)
    } else {
        csv_rows(reader, row)
    }
}

#[cfg(test)]
#[path = "read_tests.rs"]
mod tests;
