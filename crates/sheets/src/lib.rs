//! Spreadsheets: the report sheets of DAT-2 with the columns of the attached forms. Every cell is
//! written as text, so a value starting with = + - @ is never a formula.

pub mod hostile;
pub mod members;
pub mod read;

use rust_xlsxwriter::{Format, Workbook, XlsxError};

#[derive(Debug, thiserror::Error)]
#[error("生成表格失败：{0}")]
pub struct SheetError(#[from] XlsxError);

/// A sheet: its name, title row, column headers and rows of text.
pub struct Sheet<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub headers: &'a [&'a str],
    pub rows: Vec<Vec<String>>,
}

pub fn write(sheet: Sheet<'_>) -> Result<Vec<u8>, SheetError> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet.name)?;
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    ws.write_string_with_format(0, 0, sheet.title, &title)?;
    // The title and the column headers stay in view while scrolling a long sheet.
    ws.set_freeze_panes(2, 0)?;
    for (c, h) in sheet.headers.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &bold)?;
        let width = if *h == "序号" { 6.0 } else { 22.0 };
        ws.set_column_width(c as u16, width)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 2, c as u16, v)?;
        }
    }
    Ok(book.save_to_buffer()?)
}

/// 删除团员台账 (MEM-7).
/// FLT-2: 毕业生流动团员信息汇总表 (attachment 1).
pub const FLOATING_MEMBERS: [&str; 9] = [
    "学院",
    "转出团支部",
    "学社衔接工作负责人姓名",
    "学社衔接工作负责人联系方式",
    "转出人姓名",
    "转出人常用联系方式",
    "转接原因",
    "转出人毕业去向",
    "备注",
];

/// TRF-6: 转往特殊单位汇总表.
pub const SPECIAL_UNIT_TRANSFERS: [&str; 5] = [
    "序号",
    "姓名",
    "提交时所在支部（系统内全称）",
    "系统提交时间",
    "去向单位名称",
];

pub const DELETION_LEDGER: [&str; 5] =
    ["序号", "姓名", "所在团支部名称全称", "身份证号", "删除原因"];

/// 团员发展编号被占用汇总表 (MEM-10).
pub const DEVELOPMENT_NO_CONFLICTS: [&str; 6] = [
    "省份",
    "所在团支部",
    "姓名",
    "身份证号",
    "发展团员编号",
    "备注（被谁占用）",
];

/// 修改团支部毕业时间汇总表 (GRD-2).
pub const GRADUATION_CHANGES: [&str; 4] =
    ["序号", "团支部名称（全称）", "正确毕业时间", "提交时间"];

/// 学社衔接转出特殊情况记录 (GRD-7); the form's 待转入团组织所在地区 spans two columns, 省 and 市.
pub const CONTINUITY_SPECIAL_CASES: [&str; 12] = [
    "序号",
    "姓名",
    "学号",
    "学院",
    "原所在团组织名称",
    "转接类型",
    "待转入团组织所在地区（省）",
    "待转入团组织所在地区（市）",
    "待转入团组织名称",
    "是否发起",
    "未接受原因",
    "备注",
];

/// MTG-1 (DAT-2): 会议记录台账, a branch's meetings of a year.
pub const MEETING_REGISTER: [&str; 11] = [
    "序号",
    "会议类型",
    "开始时间",
    "地点",
    "主题",
    "主持人",
    "记录人",
    "应到",
    "实到",
    "缺席人员及原因",
    "是否达到法定人数",
];

/// MTG-1 (DAT-2): 组织生活达标情况表, every branch of a subtree in a quarter.
pub const MEETING_COMPLIANCE: [&str; 10] = [
    "序号",
    "团支部（系统内全称）",
    "支部大会",
    "支委会",
    "团小组会",
    "团课",
    "主题团日",
    "组织生活会",
    "是否达标",
    "未达标项",
];

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Reader, Xlsx};

    #[test]
    fn writes_chinese_text_and_never_formulas() {
        let bytes = write(Sheet {
            name: "删除团员台账",
            title: "删除团员台账",
            headers: &DELETION_LEDGER,
            rows: vec![vec![
                "1".into(),
                "张三".into(),
                "某团支部".into(),
                "=1+1".into(),
                "死亡".into(),
            ]],
        })
        .unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("删除团员台账").unwrap();
        assert_eq!(
            range.get_value((1, 2)).unwrap().to_string(),
            "所在团支部名称全称"
        );
        assert_eq!(range.get_value((2, 1)).unwrap().to_string(), "张三");
        assert_eq!(range.get_value((2, 3)).unwrap().to_string(), "=1+1");
        let formulas = book.worksheet_formula("删除团员台账").unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
    }
}
