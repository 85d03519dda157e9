//! Plausible Chinese names for demo records (never real people: combinations are synthetic).

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹",
    "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛",
    "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜", "范", "方", "石", "姚",
];
const MALE: &[&str] = &[
    "伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超", "浩", "宇", "轩", "博", "文", "鹏",
    "辉", "志", "俊", "晨", "泽", "昊", "然", "一", "子", "嘉", "天", "思", "睿", "航", "凯", "鑫",
];
const FEMALE: &[&str] = &[
    "静", "敏", "燕", "艳", "娟", "霞", "芳", "婷", "雪", "琳", "欣", "怡", "佳", "悦", "涵", "雨",
    "萱", "晓", "梦", "思", "诗", "雅", "婧", "瑶", "璐", "颖", "倩", "洁", "丹", "玉", "慧", "琪",
];

pub fn person(seed: u64, female: bool) -> String {
    let pool = if female { FEMALE } else { MALE };
    let surname = SURNAMES[(seed % SURNAMES.len() as u64) as usize];
    let a = pool[((seed >> 8) % pool.len() as u64) as usize];
    if (seed >> 16).is_multiple_of(3) {
        format!("{surname}{a}")
    } else {
        let b = pool[((seed >> 24) % pool.len() as u64) as usize];
        format!("{surname}{a}{b}")
    }
}

pub fn full_name(seed: u64) -> String {
    person(
        seed.wrapping_mul(0x9E37_79B9_7F4A_7C15),
        seed.is_multiple_of(2),
    )
}
