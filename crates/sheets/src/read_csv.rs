//! csv, read in one pass by a state machine over the decoded bytes: every byte is looked at once,
//! so time grows with the file, and one record is bounded, so memory does not. (The reader it
//! replaced counted the quotes of the growing record on every line: an unterminated quote cost
//! quadratic time and held the whole rest of the file in one record.)

use std::io::{BufRead, Cursor, Read};

use encoding_rs::GBK;
use encoding_rs_io::DecodeReaderBytesBuilder;

use super::{CellValue, ReadError, MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS};

/// One record (a row, or several lines when a quoted cell holds line breaks) may hold this many
/// bytes: a member row is under 1 KiB, so only a broken or hostile file reaches it.
pub const MAX_RECORD_BYTES: usize = 64 * 1024;

#[derive(Clone, Copy, PartialEq)]
enum State {
    /// Outside quotes.
    Plain,
    /// Inside a quoted cell.
    Quoted,
    /// A quote inside a quoted cell: the end of the cell, or the first half of `""`.
    QuoteInQuoted,
}

/// The record being read.
struct Record {
    /// The line the record starts on, as Excel numbers it.
    start: usize,
    cells: Vec<Vec<u8>>,
    cell: Vec<u8>,
    /// Characters of `cell` (UTF-8 lead bytes), for Excel's per-cell limit.
    cell_chars: usize,
    bytes: usize,
    /// Anything but spaces seen: a blank line is skipped, as Excel numbers it but shows nothing.
    blank: bool,
    state: State,
}

impl Record {
    fn new(start: usize) -> Self {
        Self {
            start,
            cells: Vec::new(),
            cell: Vec::new(),
            cell_chars: 0,
            bytes: 0,
            blank: true,
            state: State::Plain,
        }
    }

    fn push(&mut self, b: u8) -> Result<(), ReadError> {
        if b & 0xC0 != 0x80 {
            self.cell_chars += 1;
            if self.cell_chars > MAX_CELL_CHARS {
                return Err(ReadError::Refused(format!(
                    "第{}行第{}列的内容超过{MAX_CELL_CHARS}个字符（Excel 一个单元格的上限）：请检查这一格，可能是引号没有配对",
                    self.start,
                    self.cells.len() + 1
                )));
            }
        }
        // Cells past the last column anyone reads are counted (the record bound) but not kept.
        if self.cells.len() < MAX_COLUMNS {
            self.cell.push(b);
        }
        Ok(())
    }

    fn end_cell(&mut self) {
        let cell = std::mem::take(&mut self.cell);
        if self.cells.len() < MAX_COLUMNS {
            self.cells.push(cell);
        }
        self.cell_chars = 0;
    }

    /// Takes one byte; true when the record ended with it.
    fn feed(&mut self, b: u8) -> Result<bool, ReadError> {
        self.bytes += 1;
        if self.bytes > MAX_RECORD_BYTES {
            return Err(ReadError::Refused(format!(
                "从第{}行开始的一行超过{}KB（一名团员的一行通常不到1KB），多半是某个单元格以引号 \" 开头却没有结束的引号：请用 Excel 或 WPS 打开检查，重新另存后再导入",
                self.start,
                MAX_RECORD_BYTES / 1024
            )));
        }
        if !b.is_ascii_whitespace() {
            self.blank = false;
        }
        match (self.state, b) {
            (State::Plain, b'"') if self.cell.is_empty() => self.state = State::Quoted,
            (State::Plain, b',') => self.end_cell(),
            (State::Plain, b'\n') => return Ok(true),
            (State::Quoted, b'"') => self.state = State::QuoteInQuoted,
            (State::QuoteInQuoted, b'"') => {
                self.state = State::Quoted;
                self.push(b)?;
            }
            (State::QuoteInQuoted, _) => {
                self.state = State::Plain;
                self.bytes -= 1;
                return self.feed(b);
            }
            (_, b) => self.push(b)?,
        }
        Ok(false)
    }

    fn into_cells(mut self) -> Vec<CellValue> {
        // Windows line ends: the \r before the \n is not part of the last cell.
        while self.cell.last() == Some(&b'\r') {
            self.cell.pop();
        }
        self.end_cell();
        self.cells
            .into_iter()
            .map(|v| {
                // The decoder hands over UTF-8, and cells split only at ASCII bytes.
                let v = String::from_utf8(v)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
                if v.trim().is_empty() {
                    CellValue::Empty
                } else {
                    CellValue::Text(v)
                }
            })
            .collect()
    }
}

/// Excel saves csv in the system code page (GBK on Chinese Windows): if the start of the file is
/// not UTF-8, the whole file is decoded as GBK. Rows are numbered by line as Excel shows them,
/// blank lines included; a quoted cell may run over several lines.
pub fn csv_rows<R: Read>(
    mut reader: R,
    mut row: impl FnMut(usize, Vec<CellValue>) -> bool,
) -> Result<(), ReadError> {
    let mut head = vec![0u8; 64 * 1024];
    let mut filled = 0;
    while filled < head.len() {
        let n = reader
            .read(&mut head[filled..])
            .map_err(|e| ReadError::Unreadable(e.to_string()))?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    head.truncate(filled);
    let utf8 = match std::str::from_utf8(&head) {
        Ok(_) => true,
        // A multi-byte character cut at the end of the sample is still UTF-8.
        Err(e) => e.error_len().is_none(),
    };
    let stream = Cursor::new(head).chain(reader);
    let decoded = DecodeReaderBytesBuilder::new()
        .encoding(if utf8 { None } else { Some(GBK) })
        .bom_override(true)
        .build(stream);
    let mut input = std::io::BufReader::with_capacity(256 * 1024, decoded);
    let mut line = 1usize;
    let mut record = Record::new(line);
    loop {
        let chunk = input
            .fill_buf()
            .map_err(|e| ReadError::Unreadable(format!("第{line}行：{e}")))?;
        if chunk.is_empty() {
            break;
        }
        let n = chunk.len();
        for &b in chunk {
            if record.start > MAX_ROWS as usize {
                return Err(too_many_rows());
            }
            let ended = record.feed(b)?;
            if b == b'\n' {
                line += 1;
            }
            if ended {
                let done = std::mem::replace(&mut record, Record::new(line));
                if !done.blank && !row(done.start, done.into_cells()) {
                    return Ok(());
                }
            }
        }
        input.consume(n);
    }
    if !record.blank {
        row(record.start, record.into_cells());
    }
    Ok(())
}

fn too_many_rows() -> ReadError {
    ReadError::Refused(format!(
        "文件超过{MAX_ROWS}行（Excel 一张工作表的上限）：请拆分成多个文件分别导入"
    ))
}
