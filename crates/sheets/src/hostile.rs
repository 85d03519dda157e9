//! The hostile uploads of issue 16, made on demand (the big ones are tens or hundreds of MB, so
//! the repository keeps these generators and small seeds in `tests/corpus/`, not the files).
//! The reader's tests replay them, and `tuanwu bench --hostile` uploads them to a real server
//! to measure its peak memory.

use std::io::{Cursor, Read, Seek, Write};

use crate::read::ReadError;

const HEADER: &str = "姓名,身份证号,民族,入团时间,发展团员编号,学号,政治面貌,手机号码,所在团支部\n";

/// The csv header, then a quote that never ends, then `lines` lines of `C` (issue 16 item 1:
/// 60 MB of it never answered).
pub fn unterminated_quote_csv(out: &mut impl Write, lines: usize) -> std::io::Result<()> {
    out.write_all(HEADER.as_bytes())?;
    out.write_all(b"\"")?;
    let block = b"C\n".repeat(4096);
    for _ in 0..lines / 4096 {
        out.write_all(&block)?;
    }
    out.write_all(&block[..(lines % 4096) * 2])
}

/// The csv header, then one row whose 姓名 is `chars` letters (item 2: 60 MB of it peaked at
/// 678 MB).
pub fn one_cell_csv(out: &mut impl Write, chars: usize) -> std::io::Result<()> {
    out.write_all(HEADER.as_bytes())?;
    let block = vec![b'C'; 1 << 20];
    for _ in 0..chars >> 20 {
        out.write_all(&block)?;
    }
    out.write_all(&block[..chars & ((1 << 20) - 1)])?;
    out.write_all(b",110105194912310029,,,,,,,\n")
}

/// A csv of `rows` short lines after the header (one more than Excel's 1,048,576 is refused).
pub fn many_rows_csv(out: &mut impl Write, rows: usize) -> std::io::Result<()> {
    out.write_all(HEADER.as_bytes())?;
    let block = b"a\n".repeat(4096);
    for _ in 0..rows / 4096 {
        out.write_all(&block)?;
    }
    out.write_all(&block[..(rows % 4096) * 2])
}

/// A real workbook whose first sheet is replaced by what `sheet` writes, deflated as it is
/// written (so a 512 MiB sheet never exists in memory here either).
pub fn xlsx_with_sheet<W: Write + Seek>(
    out: W,
    sheet: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<W, ReadError> {
    let fail = |e: &dyn std::fmt::Display| ReadError::Unreadable(e.to_string());
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet()
        .write_string(0, 0, "姓名")
        .map_err(|e| fail(&e))?;
    let original = book.save_to_buffer().map_err(|e| fail(&e))?;
    let mut src = zip::ZipArchive::new(Cursor::new(original)).map_err(|e| fail(&e))?;
    let mut zip = zip::ZipWriter::new(out);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let mut sheet = Some(sheet);
    for i in 0..src.len() {
        let mut f = src.by_index(i).map_err(|e| fail(&e))?;
        let name = f.name().map_err(|e| fail(&e))?.to_string();
        zip.start_file(name.as_str(), opts).map_err(|e| fail(&e))?;
        match (name.as_str(), sheet.take()) {
            ("xl/worksheets/sheet1.xml", Some(write)) => write(&mut zip).map_err(|e| fail(&e))?,
            (_, keep) => {
                sheet = keep;
                let mut bytes = Vec::new();
                f.read_to_end(&mut bytes).map_err(|e| fail(&e))?;
                zip.write_all(&bytes).map_err(|e| fail(&e))?;
            }
        }
    }
    zip.finish().map_err(|e| fail(&e))
}

/// A sheet with one inline-string cell of `chars` letters (item 2: 512 MiB of it, 3 MB zipped,
/// took the server to 2.2 GB). A letter in every 256 is drawn at random, so the part deflates
/// at roughly 170:1, as the issue's did, under the reader's 200:1 zip-bomb ratio.
pub fn inline_string_xlsx<W: Write + Seek>(out: W, chars: usize) -> Result<W, ReadError> {
    xlsx_with_sheet(out, |w| {
        w.write_all(
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>"#,
        )?;
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut block = vec![b'C'; 1 << 16];
        let mut left = chars;
        while left > 0 {
            for at in (0..block.len()).step_by(256) {
                // xorshift: reproducible noise without a dependency.
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                block[at] = b'A' + (seed % 26) as u8;
            }
            let n = left.min(block.len());
            w.write_all(&block[..n])?;
            left -= n;
        }
        w.write_all(b"</t></is></c></row></sheetData></worksheet>")
    })
}
