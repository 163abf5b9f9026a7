//! Synthetic portals for benchmarks: a deterministic generator of city-scale sanwu input in the
//! format of `docs/format.md` (config.toml, then per compound compound.toml, fees.csv,
//! revenue.csv, fund.csv, projects/, tenders/ and notices/).
//!
//! Shared by `examples/generate.rs` and `benches/city.rs` through `#[path]`; std only. Every
//! compound draws from its own PRNG stream seeded from the spec's seed and its index, so the
//! output is identical for the same spec whatever the number of threads. All money is computed in
//! integer fen and all areas in 0.01 ㎡, so that every invariant the checker verifies (net = gross −
//! costs, declared fund balances, vote tallies, project funding) holds exactly.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// What to generate.
pub struct SynthSpec {
    /// Number of compounds (folders `c00001`, `c00002`, …).
    pub compounds: usize,
    /// Number of calendar years of ledgers per compound.
    pub years: u32,
    /// The first of those years.
    pub first_year: i32,
    /// Seed of the PRNG; the same spec always yields the same bytes.
    pub seed: u64,
}

/// What was written.
pub struct SynthStats {
    pub compounds: usize,
    pub files: usize,
    pub bytes: u64,
}

/// Writes a complete portal under `root` (created if missing; existing files are overwritten).
pub fn generate(spec: &SynthSpec, root: &Path) -> io::Result<SynthStats> {
    let content = root.join("content");
    fs::create_dir_all(&content)?;
    let mut out = Out::default();
    out.write(&root.join("config.toml"), &config_toml(spec))?;

    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(spec.compounds)
        .max(1);
    let results: Vec<io::Result<Out>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let content = &content;
                scope.spawn(move || {
                    let mut out = Out::default();
                    for index in (t..spec.compounds).step_by(threads) {
                        write_compound(spec, index, content, &mut out)?;
                    }
                    Ok(out)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("generator thread panicked"))
            .collect()
    });
    for r in results {
        let part = r?;
        out.files += part.files;
        out.bytes += part.bytes;
    }
    Ok(SynthStats {
        compounds: spec.compounds,
        files: out.files,
        bytes: out.bytes,
    })
}

fn config_toml(spec: &SynthSpec) -> String {
    format!(
        "# 合成数据 / synthetic benchmark portal: {n} compounds, {y} years from {f}, seed {s}\n\
         title = \"城市阳光三务公示平台（合成数据）\"\n\
         base_url = \"https://example.org/\"\n\
         language = \"zh\"\n\
         theme = \"default\"\n\
         output_dir = \"public\"\n\
         description = \"本平台公示各小区物业费、公共收益、专项维修资金和工程招标情况。全部数据为基准测试生成的合成数据。\"\n",
        n = spec.compounds,
        y = spec.years,
        f = spec.first_year,
        s = spec.seed,
    )
}

/// Counts what is written.
#[derive(Default)]
struct Out {
    files: usize,
    bytes: u64,
}

impl Out {
    fn write(&mut self, path: &Path, text: &str) -> io::Result<()> {
        fs::write(path, text)?;
        self.files += 1;
        self.bytes += text.len() as u64;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// PRNG, dates, number formatting
// ---------------------------------------------------------------------------------------------

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_add(1).wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi);
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, per_mille: u64) -> bool {
        self.next() % 1000 < per_mille
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn pick_str(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }

    /// `k` distinct indices of `0..n`, in random order.
    fn sample(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        self.shuffle(&mut all);
        all.truncate(k);
        all
    }
}

/// A civil date as days since 1970-01-01.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct Date(i64);

impl Date {
    fn ymd(y: i32, m: u32, d: u32) -> Date {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(y) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(m);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Date(era * 146_097 + doe - 719_468)
    }

    fn parts(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
        (y, m, d)
    }

    fn plus(self, days: i64) -> Date {
        Date(self.0 + days)
    }

    fn year(self) -> i32 {
        self.parts().0
    }

    fn month(self) -> u32 {
        self.parts().1
    }

    fn iso(self) -> String {
        let (y, m, d) = self.parts();
        format!("{y:04}-{m:02}-{d:02}")
    }

    fn zh(self) -> String {
        let (y, m, d) = self.parts();
        format!("{y}年{m}月{d}日")
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    let next = if m == 12 {
        Date::ymd(y + 1, 1, 1)
    } else {
        Date::ymd(y, m + 1, 1)
    };
    (next.0 - Date::ymd(y, m, 1).0) as u32
}

/// `1234567` fen → `12,345.67`.
fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.abs();
    let int = (fen / 100).to_string();
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", fen % 100)
}

/// A money or area cell: always quoted, always two decimals.
fn q(hundredths: i64) -> String {
    format!("\"{}\"", yuan(hundredths))
}

/// `part / whole` as a percentage with one decimal, e.g. `93.5%`.
fn pct(part: i64, whole: i64) -> String {
    if whole == 0 {
        return "—".to_string();
    }
    let tenths = (part * 1000 + whole / 2) / whole;
    format!("{}.{}%", tenths / 10, tenths % 10)
}

fn round_to(x: i64, unit: i64) -> i64 {
    (x + unit / 2) / unit * unit
}

// ---------------------------------------------------------------------------------------------
// Pools of names and places
// ---------------------------------------------------------------------------------------------

struct City {
    name: &'static str,
    short: &'static str,
    area_code: &'static str,
    districts: &'static [(&'static str, &'static [&'static str])],
}

const CITIES: &[City] = &[
    City {
        name: "大连市",
        short: "大连",
        area_code: "0411",
        districts: &[
            ("沙河口区", &["马栏街道", "黑石礁街道", "星海湾街道"]),
            ("中山区", &["青泥洼桥街道", "桃源街道", "人民路街道"]),
            ("西岗区", &["香炉礁街道", "人民广场街道"]),
            ("甘井子区", &["红旗街道", "泉水街道", "椒金山街道"]),
        ],
    },
    City {
        name: "北京市",
        short: "北京",
        area_code: "010",
        districts: &[
            ("朝阳区", &["望京街道", "建外街道", "劲松街道"]),
            ("海淀区", &["中关村街道", "学院路街道", "万寿路街道"]),
            ("丰台区", &["右安门街道", "卢沟桥街道"]),
            ("西城区", &["德胜街道", "月坛街道"]),
        ],
    },
    City {
        name: "上海市",
        short: "上海",
        area_code: "021",
        districts: &[
            ("浦东新区", &["潍坊新村街道", "花木街道", "塘桥街道"]),
            ("徐汇区", &["田林街道", "康健新村街道", "枫林路街道"]),
            ("闵行区", &["古美路街道", "江川路街道"]),
            ("杨浦区", &["五角场街道", "殷行街道"]),
        ],
    },
    City {
        name: "成都市",
        short: "成都",
        area_code: "028",
        districts: &[
            ("武侯区", &["玉林街道", "簇桥街道", "红牌楼街道"]),
            ("锦江区", &["书院街街道", "春熙路街道"]),
            ("成华区", &["猛追湾街道", "府青路街道"]),
            ("金牛区", &["荷花池街道", "营门口街道"]),
        ],
    },
    City {
        name: "杭州市",
        short: "杭州",
        area_code: "0571",
        districts: &[
            ("西湖区", &["文新街道", "翠苑街道", "古荡街道"]),
            ("拱墅区", &["米市巷街道", "湖墅街道"]),
            ("上城区", &["湖滨街道", "清波街道"]),
            ("滨江区", &["西兴街道", "长河街道"]),
        ],
    },
    City {
        name: "武汉市",
        short: "武汉",
        area_code: "027",
        districts: &[
            ("武昌区", &["中华路街道", "水果湖街道", "首义路街道"]),
            ("洪山区", &["珞南街道", "关山街道"]),
            ("江汉区", &["民族街道", "唐家墩街道"]),
            ("江岸区", &["大智街道", "四唯街道"]),
        ],
    },
];

const NAME_WORDS: &[&str] = &[
    "锦绣", "翠湖", "明珠", "枫林", "阳光", "春柳", "金桥", "碧水", "和平", "幸福", "紫荆", "海韵",
    "星河", "银杏", "丽景", "怡和", "瑞祥", "华庭", "长青", "文苑", "东方", "惠民", "嘉园", "书香",
];
const NAME_SUFFIXES: &[&str] = &["花园", "小区", "家园", "苑", "新村", "公寓", "山庄", "雅居"];
const COMMUNITY_WORDS: &[&str] = &[
    "和平", "民主", "新华", "友谊", "光明", "团结", "建设", "胜利", "朝阳", "文化", "康乐", "东风",
];
const COMPANY_WORDS: &[&str] = &[
    "恒信",
    "华源",
    "宏达",
    "万嘉",
    "安泰",
    "鑫隆",
    "瑞丰",
    "诚达",
    "卓越",
    "远洋",
    "正阳",
    "金鼎",
    "广厦",
    "中天",
    "永兴",
    "德润",
    "新世纪",
    "通达",
    "凯盛",
    "海纳",
    "博远",
    "天成",
    "立信",
    "汇通",
];
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
];
const ROLES: &[&str] = &["主任", "副主任", "委员", "委员", "委员", "委员", "委员"];

fn company(rng: &mut Rng, city: &City, trade: &str) -> String {
    format!("{}{}{}", city.short, rng.pick(COMPANY_WORDS), trade)
}

/// `k` distinct company names of one trade.
fn companies(rng: &mut Rng, city: &City, trade: &str, k: usize) -> Vec<String> {
    rng.sample(COMPANY_WORDS.len(), k)
        .into_iter()
        .map(|i| format!("{}{}{}", city.short, COMPANY_WORDS[i], trade))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The compound and its ledgers, as data
// ---------------------------------------------------------------------------------------------

struct BuildingType {
    name: &'static str,
    households: i64,
    /// 0.01 ㎡.
    area: i64,
    /// Fen per ㎡ and month.
    price: i64,
    /// Typical collection rate in per mille.
    rate: i64,
}

struct Compound {
    slug: String,
    name: String,
    city: &'static City,
    district: &'static str,
    street: Option<&'static str>,
    community: String,
    contact: String,
    households: i64,
    floor_area: i64,
    buildings: i64,
    company: String,
    committee: String,
    members: Vec<(&'static str, String)>,
    term_start: Date,
    types: Vec<BuildingType>,
    first_year: i32,
    years: i32,
}

impl Compound {
    fn start(&self) -> Date {
        Date::ymd(self.first_year, 1, 1)
    }

    fn end(&self) -> Date {
        Date::ymd(self.first_year + self.years - 1, 12, 31)
    }

    fn residential(&self) -> (i64, i64) {
        self.types
            .iter()
            .filter(|t| t.name != "商业")
            .fold((0, 0), |(h, a), t| (h + t.households, a + t.area))
    }
}

fn make_compound(rng: &mut Rng, index: usize, spec: &SynthSpec) -> Compound {
    let city = rng.pick(CITIES);
    let (district, streets) = *rng.pick(city.districts);
    let street = if rng.chance(800) {
        Some(rng.pick_str(streets))
    } else {
        None
    };
    let name = format!(
        "{}{}{:05}",
        rng.pick(NAME_WORDS),
        rng.pick(NAME_SUFFIXES),
        index + 1
    );
    let type_names: &[&'static str] = match rng.below(4) {
        0 => &["高层住宅", "商业"],
        1 => &["多层住宅", "商业"],
        2 => &["高层住宅", "多层住宅"],
        _ => &["高层住宅", "多层住宅", "商业"],
    };
    let types: Vec<BuildingType> = type_names
        .iter()
        .map(|&name| {
            let (households, avg_area, price, rate) = match name {
                "高层住宅" => (
                    rng.range(280, 1100),
                    rng.range(8_200, 11_800),
                    rng.range(32, 56) * 5,
                    rng.range(900, 975),
                ),
                "多层住宅" => (
                    rng.range(96, 480),
                    rng.range(6_800, 9_600),
                    rng.range(16, 30) * 5,
                    rng.range(880, 965),
                ),
                _ => (
                    rng.range(8, 60),
                    rng.range(6_000, 22_000),
                    rng.range(50, 100) * 5,
                    rng.range(860, 950),
                ),
            };
            let area = households * avg_area + rng.range(0, 99);
            BuildingType {
                name,
                households,
                area,
                price,
                rate,
            }
        })
        .collect();
    let households = types.iter().map(|t| t.households).sum();
    let floor_area = types.iter().map(|t| t.area).sum();
    let residential: i64 = types
        .iter()
        .filter(|t| t.name != "商业")
        .map(|t| t.households)
        .sum();
    let buildings = (residential / rng.range(60, 110)).max(2);
    let mut members = Vec::new();
    let n_members = rng.range(5, 7) as usize;
    for &role in ROLES.iter().take(n_members) {
        members.push((role, format!("{}某", rng.pick(SURNAMES))));
    }
    let term_start = Date::ymd(
        spec.first_year - rng.range(0, 2) as i32,
        rng.range(3, 9) as u32,
        1,
    );
    Compound {
        slug: format!("c{:05}", index + 1),
        committee: format!("{name}业主委员会"),
        community: format!("{}社区", rng.pick(COMMUNITY_WORDS)),
        contact: format!(
            "业委会办公室 {}-8{:07}，每周六 9:00–11:00",
            city.area_code,
            rng.range(0, 9_999_999)
        ),
        company: company(rng, city, "物业服务有限公司"),
        name,
        city,
        district,
        street,
        households,
        floor_area,
        buildings,
        members,
        term_start,
        types,
        first_year: spec.first_year,
        years: spec.years as i32,
    }
}

struct FeeRow {
    year: i32,
    month: u32,
    ty: usize,
    billed: i64,
    paid: i64,
    receivable: i64,
    received: i64,
    arrears: i64,
    note: &'static str,
}

const FEE_NOTES: &[&str] = &[
    "春节前集中催缴",
    "含空置房按约定减免",
    "新增银行代扣户",
    "部分业主预缴下期费用已转入下期",
    "线上缴费平台试运行",
    "诉讼追缴欠费执行到位",
];

fn make_fees(rng: &mut Rng, c: &Compound) -> Vec<FeeRow> {
    let mut rows = Vec::new();
    for y in 0..c.years {
        let year = c.first_year + y;
        for month in 1..=12 {
            for (ty, t) in c.types.iter().enumerate() {
                let billed = t.households;
                // The rate of money collected stays within 85 %–99 % whatever the rounding; the
                // households that paid follow it (shops differ in size, so not exactly).
                let rate = (t.rate + rng.range(-25, 25)).clamp(852, 988);
                let receivable = t.area * t.price / 100;
                let received = receivable * rate / 1000 + rng.range(-99, 99);
                let paid = ((billed * rate + 500) / 1000).min(billed);
                let arrears = if rng.chance(350) {
                    receivable / billed * rng.range(1, 8)
                } else {
                    0
                };
                let note = if rng.chance(40) {
                    rng.pick_str(FEE_NOTES)
                } else {
                    ""
                };
                rows.push(FeeRow {
                    year,
                    month,
                    ty,
                    billed,
                    paid,
                    receivable,
                    received,
                    arrears,
                    note,
                });
            }
        }
    }
    rows
}

const CATEGORIES: &[&str] = &["停车", "广告", "场地租赁", "快递柜", "基站", "其他"];
const ALLOCATIONS: &[&str] = &["维修资金", "业委会经费", "抵扣物业费"];

struct Revenue {
    date: Date,
    cat: usize,
    item: String,
    counterparty: String,
    gross: i64,
    costs: i64,
    alloc: usize,
    resolution: String,
    voucher: String,
    note: &'static str,
}

fn make_revenue(rng: &mut Rng, c: &Compound) -> Vec<Revenue> {
    // The counterparties of the compound's contracts, fixed for all years.
    let ad = companies(rng, c.city, "传媒有限公司", 2);
    let rent = vec![
        company(rng, c.city, "文化传播有限公司"),
        company(rng, c.city, "教育咨询有限公司"),
        format!("{}社区卫生服务站", c.community),
    ];
    let locker = vec![
        company(rng, c.city, "智能科技有限公司"),
        company(rng, c.city, "速递服务有限公司"),
    ];
    let tower = format!("中国铁塔股份有限公司{}分公司", c.city.short);
    let other = vec![
        company(rng, c.city, "再生资源回收有限公司"),
        company(rng, c.city, "新能源科技有限公司"),
        company(rng, c.city, "自动售货服务有限公司"),
    ];
    let mut rows = Vec::new();
    for y in 0..c.years {
        let year = c.first_year + y;
        // What the owners' assembly decided for each category in this year.
        let assembly = rng.range(1, 2);
        let resolution = format!("{}年第{}次业主大会决议", year - 1, assembly);
        let allocs: Vec<usize> = (0..CATEGORIES.len())
            .map(|cat| match cat {
                0 | 1 | 4 => {
                    if rng.chance(850) {
                        0
                    } else {
                        2
                    }
                }
                3 => {
                    if rng.chance(500) {
                        1
                    } else {
                        0
                    }
                }
                _ => rng.below(3),
            })
            .collect();
        let mut seq = 0;
        let mut day = Date::ymd(year, 1, 1).plus(rng.range(1, 5));
        let mut week = 0;
        while day.year() == year {
            week += 1;
            seq += 1;
            let cat = match rng.below(100) {
                0..=33 => 0,
                34..=53 => 1,
                54..=67 => 2,
                68..=77 => 3,
                78..=86 => 4,
                _ => 5,
            };
            let m = day.month();
            let (item, counterparty, gross, cost_pm) = match cat {
                0 => {
                    let items = [
                        format!("临时停车费（第{week}周）"),
                        format!("地面车位月租（{m}月）"),
                        format!("地下公共车位租金（{m}月）"),
                        format!("访客停车费（第{week}周）"),
                    ];
                    let who = if rng.chance(500) {
                        "小区车主"
                    } else {
                        "临时停车车主"
                    };
                    (
                        rng.pick(&items).clone(),
                        who.to_string(),
                        rng.range(1_800, 16_000) * 100 + rng.range(0, 99),
                        rng.range(100, 200),
                    )
                }
                1 => {
                    let items = [
                        "电梯广告位租金",
                        "门禁屏广告费",
                        "道闸广告费",
                        "宣传栏广告费",
                    ];
                    (
                        format!("{}（{m}月）", rng.pick(&items)),
                        rng.pick(&ad).clone(),
                        rng.range(10, 120) * 10_000,
                        60,
                    )
                }
                2 => {
                    let items = [
                        "会所活动室租金",
                        "临时摊位场地费",
                        "外摆场地占用费",
                        "多功能厅场地费",
                    ];
                    (
                        format!("{}（{m}月）", rng.pick(&items)),
                        rng.pick(&rent).clone(),
                        rng.range(5, 80) * 10_000,
                        50,
                    )
                }
                3 => {
                    let items = ["快递柜场地占用费", "快递柜电费补偿", "快递驿站场地租金"];
                    (
                        rng.pick(&items).to_string(),
                        rng.pick(&locker).clone(),
                        rng.range(30, 200) * 1_000,
                        0,
                    )
                }
                4 => {
                    let items = ["通信基站场地租金", "通信基站电费分摊"];
                    (
                        format!("{}（{year}年第{}季度）", rng.pick(&items), (m - 1) / 3 + 1),
                        tower.clone(),
                        rng.range(30, 120) * 10_000,
                        rng.range(60, 120),
                    )
                }
                _ => {
                    let items = [
                        "废品回收收入",
                        "充电桩场地使用费",
                        "自动售货机场地费",
                        "共享单车停放管理费",
                    ];
                    (
                        rng.pick(&items).to_string(),
                        rng.pick(&other).clone(),
                        rng.range(1_000, 30_000) * 10 + rng.range(0, 9),
                        rng.range(0, 100),
                    )
                }
            };
            let costs = gross * cost_pm / 1000;
            let note = if rng.chance(60) {
                rng.pick_str(&["合同续签", "按季度结算", "含上期补缴", "发票已开具"])
            } else {
                ""
            };
            rows.push(Revenue {
                date: day,
                cat,
                item,
                counterparty,
                gross,
                costs,
                alloc: allocs[cat],
                resolution: resolution.clone(),
                voucher: format!("GS{year}-{seq:04}"),
                note,
            });
            day = day.plus(7 + rng.range(-1, 1));
        }
    }
    rows
}

/// A kind of works paid from the maintenance fund.
struct WorksKind {
    slug: &'static str,
    /// `{scope}` is replaced by the building for building-scoped works.
    title: &'static str,
    building: bool,
    budget: (i64, i64),
    trade: &'static str,
    days: (i64, i64),
    topic: Topic,
    /// What was wrong, for the project's description.
    why: &'static str,
}

const WORKS: &[WorksKind] = &[
    WorksKind {
        slug: "elevator",
        title: "{scope}电梯更新改造工程",
        building: true,
        budget: (600_000, 1_600_000),
        trade: "电梯工程有限公司",
        days: (60, 110),
        topic: Topic::Elevator,
        why: "电梯运行已超过十五年，曳引机和控制柜老化，年度定期检验提出整改意见，近一年停梯故障二十余次。",
    },
    WorksKind {
        slug: "roof",
        title: "{scope}屋面防水维修工程",
        building: true,
        budget: (40_000, 200_000),
        trade: "防水工程有限公司",
        days: (20, 45),
        topic: Topic::Fund,
        why: "顶层多户反映雨季渗漏，经专业单位检测，屋面防水层老化开裂，需整体翻新。",
    },
    WorksKind {
        slug: "facade",
        title: "{scope}外墙保温及饰面修缮工程",
        building: true,
        budget: (200_000, 900_000),
        trade: "建筑装饰工程有限公司",
        days: (45, 100),
        topic: Topic::Fund,
        why: "外墙保温层空鼓、饰面砖脱落，存在高空坠物隐患，已临时设置警戒区域。",
    },
    WorksKind {
        slug: "fire",
        title: "消防设施设备更新改造工程",
        building: false,
        budget: (100_000, 500_000),
        trade: "消防工程有限公司",
        days: (30, 60),
        topic: Topic::Fund,
        why: "消防检测报告指出火灾自动报警系统和消防水泵控制柜故障，部分消火栓锈蚀无法正常使用。",
    },
    WorksKind {
        slug: "water",
        title: "二次供水设施改造工程",
        building: false,
        budget: (200_000, 600_000),
        trade: "给排水工程有限公司",
        days: (30, 70),
        topic: Topic::Fund,
        why: "二次供水水箱和加压泵组使用年限已久，水压不稳，高区业主多次反映用水困难。",
    },
    WorksKind {
        slug: "pipes",
        title: "小区道路及雨污管网修缮工程",
        building: false,
        budget: (150_000, 600_000),
        trade: "市政工程有限公司",
        days: (30, 80),
        topic: Topic::Fund,
        why: "小区主干道路面破损，雨污管网堵塞，暴雨时地下车库入口多次积水。",
    },
    WorksKind {
        slug: "clubhouse",
        title: "会所修缮工程",
        building: false,
        budget: (80_000, 400_000),
        trade: "建筑装饰工程有限公司",
        days: (30, 60),
        topic: Topic::Clubhouse,
        why: "会所屋面渗漏、墙面空鼓脱落，活动室地面破损，已无法正常开放。",
    },
    WorksKind {
        slug: "security",
        title: "监控及门禁系统升级改造工程",
        building: false,
        budget: (60_000, 250_000),
        trade: "安防工程有限公司",
        days: (20, 40),
        topic: Topic::Parking,
        why: "原有监控摄像头多数为模拟设备，画面模糊，门禁系统频繁故障，无法满足安全防范需要。",
    },
    WorksKind {
        slug: "doors",
        title: "{scope}单元门及楼道窗更换工程",
        building: true,
        budget: (30_000, 150_000),
        trade: "门窗工程有限公司",
        days: (15, 30),
        topic: Topic::Fund,
        why: "单元门闭门器损坏、楼道窗框锈蚀变形，冬季楼道进风严重。",
    },
];

/// A service or small works bought with public revenue or fee money, without a fund project.
#[derive(Clone, Copy)]
struct Service {
    slug: &'static str,
    what: &'static str,
    trade: &'static str,
    /// Yuan.
    budget: (i64, i64),
    topic: Topic,
}

struct Vote {
    start: Date,
    end: Date,
    method: &'static str,
    /// total, participating, agree, oppose, abstain (0.01 ㎡).
    area: [i64; 5],
    /// total, participating, agree, oppose, abstain.
    owners: [i64; 5],
}

struct Payment {
    date: Date,
    amount: i64,
    memo: String,
}

struct Project {
    id: String,
    kind: &'static WorksKind,
    title: String,
    scope: String,
    budget: i64,
    contractor: String,
    tender: Option<usize>,
    contract_amount: i64,
    contract_date: Date,
    settled: Option<i64>,
    plan: Date,
    vote: Vote,
    start: Date,
    completed: Option<Date>,
    funding: Option<(&'static str, i64)>,
    payments: Vec<Payment>,
}

struct Tender {
    id: String,
    title: String,
    funding: &'static str,
    project: Option<usize>,
    method: &'static str,
    first_quote: i64,
    first_quote_by: &'static str,
    budget: i64,
    announced: Date,
    opened: Date,
    awarded: Date,
    publicity: (Date, Date),
    winner: usize,
    winner_reason: &'static str,
    contract_date: Date,
    bids: Vec<(String, i64)>,
    topic: Topic,
}

impl Tender {
    fn contract_amount(&self) -> i64 {
        self.bids[self.winner].1
    }
}

/// Counts that pass the quorum (3·participating ≥ 2·total), approve (2·agree > participating) and
/// add up (agree + oppose + abstain = participating).
fn tally(rng: &mut Rng, total_area: i64, total_owners: i64) -> ([i64; 5], [i64; 5]) {
    let min_owners = (2 * total_owners + 2) / 3;
    let owners_part = (total_owners * rng.range(700, 960) / 1000).clamp(min_owners, total_owners);
    let min_agree = owners_part / 2 + 1;
    let owners_agree = (owners_part * rng.range(620, 960) / 1000).clamp(min_agree, owners_part);
    let rest = owners_part - owners_agree;
    let owners_oppose = rest * rng.range(300, 700) / 1000;
    let owners_abstain = rest - owners_oppose;

    let min_area = (2 * total_area + 2) / 3;
    let jitter = rng.range(-20, 20);
    let area_part = (total_area * (owners_part * 1000 / total_owners + jitter) / 1000)
        .clamp(min_area, total_area);
    let (area_agree, area_oppose, area_abstain) = if rest == 0 {
        (area_part, 0, 0)
    } else {
        let share = owners_agree * 1000 / owners_part + rng.range(-15, 15);
        // Leave every dissenting or abstaining owner at least 40 ㎡.
        let agree = (area_part * share / 1000)
            .min(area_part - rest * 4_000)
            .max(area_part / 2 + 1);
        let dissent = area_part - agree;
        let oppose = if owners_oppose == 0 {
            0
        } else if owners_abstain == 0 {
            dissent
        } else {
            (dissent * owners_oppose / rest)
                .max(owners_oppose * 4_000)
                .min(dissent - owners_abstain * 4_000)
        };
        (agree, oppose, dissent - oppose)
    };
    (
        [total_area, area_part, area_agree, area_oppose, area_abstain],
        [
            total_owners,
            owners_part,
            owners_agree,
            owners_oppose,
            owners_abstain,
        ],
    )
}

const VOTE_METHODS: &[&str] = &[
    "纸质表决",
    "电子投票与纸质表决相结合",
    "业主决策电子投票平台",
    "书面征求意见",
];

const FIRST_QUOTE_BY: &[&str] = &[
    "物业公司推荐的施工队",
    "物业公司初步询价",
    "原施工单位报价",
    "业委会初步询价",
];

const WINNER_REASONS: &[&str] = &[
    "最低报价单位未能按期提供有效的施工资质证书，按招标文件规定确定综合得分第一的单位中标",
    "最低报价单位工期明显长于招标文件要求，评标小组按综合评分法确定中标单位",
    "最低报价单位近三年有安全生产不良记录，经评标小组审查后确定综合得分最高的单位中标",
];

/// Bids for a tender: `n` bidders of one trade, amounts around `budget` (fen).
fn make_bids(
    rng: &mut Rng,
    c: &Compound,
    trade: &str,
    budget: i64,
) -> (Vec<(String, i64)>, usize, &'static str) {
    let n = rng.range(3, 6) as usize;
    let names = companies(rng, c.city, trade, n);
    let bids: Vec<(String, i64)> = names
        .into_iter()
        .map(|name| {
            let amount = round_to(budget * rng.range(780, 1020) / 1000, 100);
            (name, amount)
        })
        .collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (bids[i].1, i));
    let (winner, reason) = if rng.chance(850) {
        (order[0], "")
    } else {
        (order[1], rng.pick_str(WINNER_REASONS))
    };
    (bids, winner, reason)
}

fn tender_dates(rng: &mut Rng, announced: Date) -> (Date, Date, (Date, Date), Date) {
    let opened = announced.plus(rng.range(12, 20));
    let awarded = opened.plus(rng.range(1, 3));
    let publicity = (awarded, awarded.plus(rng.range(3, 7)));
    let contract = publicity.1.plus(rng.range(1, 5));
    (opened, awarded, publicity, contract)
}

fn make_works(rng: &mut Rng, c: &Compound) -> (Vec<Project>, Vec<Tender>) {
    let n_projects = rng.range(2, 4) as usize;
    let n_tenders = rng.range(2, 3) as usize;
    let mut linked = n_tenders.min(n_projects);
    if linked == n_tenders && linked > 1 && rng.chance(300) {
        linked -= 1;
    }
    let kinds = rng.sample(WORKS.len(), n_projects);
    let end = c.end();
    let span = end.0 - c.start().0;
    let (res_households, res_area) = c.residential();
    let mut projects = Vec::new();
    let mut tenders = Vec::new();
    for (pi, &k) in kinds.iter().enumerate() {
        let kind = &WORKS[k];
        let in_progress = pi + 1 == n_projects && rng.chance(250);
        let plan = if in_progress {
            end.plus(-rng.range(150, 200))
        } else {
            c.start().plus(rng.range(14, (span - 260).max(15)))
        };
        let (scope, total_area, total_owners) = if kind.building {
            let b = rng.range(1, c.buildings);
            let hh = (res_households / c.buildings * rng.range(80, 120) / 100).max(12);
            let area = (res_area / c.buildings * rng.range(80, 120) / 100 + rng.range(0, 99))
                .max(hh * 5_000);
            (format!("{b}号楼"), area, hh)
        } else {
            ("全小区".to_string(), c.floor_area, c.households)
        };
        let vote_start = plan.plus(rng.range(7, 12));
        let vote_end = vote_start.plus(rng.range(14, 28));
        let (area, owners) = tally(rng, total_area, total_owners);
        let vote = Vote {
            start: vote_start,
            end: vote_end,
            method: rng.pick_str(VOTE_METHODS),
            area,
            owners,
        };
        let budget = round_to(rng.range(kind.budget.0, kind.budget.1) * 100, 100_000);
        let title = kind.title.replace("{scope}", &scope);
        let year = plan.year();
        let (contractor, contract_amount, contract_date, tender) = if pi < linked {
            let announced = vote_end.plus(rng.range(5, 15));
            let (opened, awarded, publicity, contract_date) = tender_dates(rng, announced);
            let (bids, winner, winner_reason) = make_bids(rng, c, kind.trade, budget);
            let max_bid = bids.iter().map(|b| b.1).max().unwrap_or(budget);
            let first_quote = round_to(max_bid * rng.range(1050, 1250) / 1000, 10_000);
            let method = if budget >= 40_000_000 {
                "公开招标"
            } else {
                rng.pick_str(&["公开招标", "邀请招标", "比选"])
            };
            let t = Tender {
                id: format!("{}-{}-tender", kind.slug, year),
                title: format!(
                    "{title}施工{}",
                    if method == "比选" {
                        "比选"
                    } else {
                        "招标"
                    }
                ),
                funding: "维修资金",
                project: Some(pi),
                method,
                first_quote,
                first_quote_by: rng.pick_str(FIRST_QUOTE_BY),
                budget,
                announced,
                opened,
                awarded,
                publicity,
                winner,
                winner_reason,
                contract_date,
                bids,
                topic: kind.topic,
            };
            let winner_name = t.bids[t.winner].0.clone();
            let amount = t.contract_amount();
            tenders.push(t);
            (winner_name, amount, contract_date, Some(tenders.len() - 1))
        } else {
            let contract_date = vote_end.plus(rng.range(10, 20));
            let amount = round_to(budget * rng.range(850, 990) / 1000, 100);
            (
                company(rng, c.city, kind.trade),
                amount,
                contract_date,
                None,
            )
        };
        let start = contract_date.plus(rng.range(5, 15));
        let days = rng.range(kind.days.0, kind.days.1);
        let mut completed = Some(start.plus(days));
        // Settlement audits only ever cut the contract amount (审减), so payments stay within it.
        let mut settled =
            Some(contract_amount - round_to(contract_amount * rng.range(0, 40) / 1000, 100));
        if in_progress || completed.is_some_and(|d| d.plus(45) > end) {
            completed = None;
            settled = None;
        }
        let funding = match settled {
            Some(s) if rng.chance(300) => {
                let sources: &[&'static str] = if kind.slug == "elevator" {
                    &["公共收益", "业主自筹", "电梯厂家让利"]
                } else {
                    &["公共收益", "业主自筹"]
                };
                let source = rng.pick_str(sources);
                Some((source, round_to(s * rng.range(100, 300) / 1000, 10_000)))
            }
            _ => None,
        };
        // 30 % on starting, the rest after completion; 5 % kept back for a year when it fits.
        let from_fund = settled.unwrap_or(contract_amount) - funding.map_or(0, |f| f.1);
        let advance = round_to(from_fund * 3 / 10, 100);
        let mut payments = vec![Payment {
            date: start.plus(rng.range(1, 5)),
            amount: advance,
            memo: format!("{title}预付款"),
        }];
        if let (Some(done), Some(_)) = (completed, settled) {
            let settle_day = done.plus(rng.range(15, 40));
            let retention_day = done.plus(365 + rng.range(5, 30));
            if retention_day <= end {
                let retention = round_to(from_fund / 20, 100);
                payments.push(Payment {
                    date: settle_day,
                    amount: from_fund - advance - retention,
                    memo: format!("{title}结算款"),
                });
                payments.push(Payment {
                    date: retention_day,
                    amount: retention,
                    memo: format!("{title}质保金"),
                });
            } else {
                payments.push(Payment {
                    date: settle_day,
                    amount: from_fund - advance,
                    memo: format!("{title}结算款（含质保金）"),
                });
            }
        }
        projects.push(Project {
            id: format!("{}-{}", kind.slug, year),
            kind,
            title,
            scope,
            budget,
            contractor,
            tender,
            contract_amount,
            contract_date,
            settled,
            plan,
            vote,
            start,
            completed,
            funding,
            payments,
        });
    }
    // Tenders for services paid from public revenue or fees, with no fund project.
    const SERVICES: &[Service] = &[
        Service {
            slug: "greening",
            what: "小区绿化养护服务",
            trade: "园林绿化工程有限公司",
            budget: (30_000, 150_000),
            topic: Topic::Fees,
        },
        Service {
            slug: "cctv-maint",
            what: "监控系统维保服务",
            trade: "安防工程有限公司",
            budget: (20_000, 80_000),
            topic: Topic::Parking,
        },
        Service {
            slug: "cleaning",
            what: "会所及公共区域保洁服务",
            trade: "保洁服务有限公司",
            budget: (40_000, 160_000),
            topic: Topic::Clubhouse,
        },
        Service {
            slug: "parking-system",
            what: "停车道闸系统更换",
            trade: "智能科技有限公司",
            budget: (50_000, 200_000),
            topic: Topic::Parking,
        },
        Service {
            slug: "elevator-maint",
            what: "电梯维护保养服务",
            trade: "电梯工程有限公司",
            budget: (60_000, 240_000),
            topic: Topic::Elevator,
        },
    ];
    let services = rng.sample(SERVICES.len(), n_tenders - linked);
    for s in services {
        let Service {
            slug,
            what,
            trade,
            budget: range,
            topic,
        } = SERVICES[s];
        let announced = c.start().plus(rng.range(20, (span - 60).max(21)));
        let (opened, awarded, publicity, contract_date) = tender_dates(rng, announced);
        let budget = round_to(rng.range(range.0, range.1) * 100, 100_000);
        let (bids, winner, winner_reason) = make_bids(rng, c, trade, budget);
        let max_bid = bids.iter().map(|b| b.1).max().unwrap_or(budget);
        let method = rng.pick_str(&["比选", "询价", "邀请招标"]);
        tenders.push(Tender {
            id: format!("{}-{}", slug, announced.year()),
            title: format!("{what}{method}"),
            funding: if rng.chance(600) {
                "公共收益"
            } else {
                "物业费"
            },
            project: None,
            method,
            first_quote: round_to(max_bid * rng.range(1050, 1300) / 1000, 10_000),
            first_quote_by: rng.pick_str(FIRST_QUOTE_BY),
            budget,
            announced,
            opened,
            awarded,
            publicity,
            winner,
            winner_reason,
            contract_date,
            bids,
            topic,
        });
    }
    (projects, tenders)
}

struct FundRow {
    date: Date,
    /// Orders rows of one day: movements before the declared balance.
    order: u8,
    kind: &'static str,
    amount: i64,
    project: String,
    voucher: String,
    memo: String,
}

/// The fund ledger, in date order, with a declared balance equal to the running balance at every
/// year end. Returns the rows and the balance at each year end.
fn make_fund(
    rng: &mut Rng,
    c: &Compound,
    revenue: &[Revenue],
    projects: &[Project],
) -> (Vec<FundRow>, Vec<i64>) {
    let mut rows = Vec::new();
    let withdrawals: i64 = projects
        .iter()
        .flat_map(|p| &p.payments)
        .map(|p| p.amount)
        .sum();
    let opening =
        (c.floor_area * rng.range(25, 60)).max(withdrawals * 13 / 10) + rng.range(0, 99_999);
    rows.push(FundRow {
        date: c.start(),
        order: 0,
        kind: "交存",
        amount: opening,
        project: String::new(),
        voucher: String::new(),
        memo: "期初余额".to_string(),
    });
    for y in 0..c.years {
        let year = c.first_year + y;
        for month in 1..=12u32 {
            rows.push(FundRow {
                date: Date::ymd(year, month, rng.range(10, 18) as u32),
                order: 0,
                kind: "交存",
                amount: rng.range(3_000, 60_000) * 100 + rng.range(0, 99),
                project: String::new(),
                voucher: format!("JC{year}-{month:02}"),
                memo: if month % 4 == 0 {
                    "房屋交易过户补交维修资金".to_string()
                } else {
                    "业主续筹交存".to_string()
                },
            });
            if month % 3 == 0 {
                let quarter = month / 3;
                let last = Date::ymd(year, month, days_in_month(year, month));
                let from_revenue: i64 = revenue
                    .iter()
                    .filter(|r| {
                        r.alloc == 0
                            && r.date.year() == year
                            && (r.date.month() - 1) / 3 + 1 == quarter
                    })
                    .map(|r| r.gross - r.costs)
                    .sum();
                if from_revenue > 0 {
                    rows.push(FundRow {
                        date: last,
                        order: 0,
                        kind: "交存",
                        amount: from_revenue,
                        project: String::new(),
                        voucher: format!("ZR{year}-Q{quarter}"),
                        memo: format!("公共收益转入（{year}年第{quarter}季度）"),
                    });
                }
            }
        }
        for p in projects {
            for pay in p.payments.iter().filter(|pay| pay.date.year() == year) {
                rows.push(FundRow {
                    date: pay.date,
                    order: 0,
                    kind: "支取",
                    amount: pay.amount,
                    project: p.id.clone(),
                    voucher: String::new(),
                    memo: pay.memo.clone(),
                });
            }
        }
    }
    rows.sort_by_key(|r| (r.date, r.order));
    // Interest and year-end balances need the running balance, so they are added in one pass.
    let mut out = Vec::with_capacity(rows.len() + 5 * c.years as usize);
    let mut balance = 0i64;
    let mut year_ends = Vec::new();
    let mut pending = rows.into_iter().peekable();
    for y in 0..c.years {
        let year = c.first_year + y;
        for quarter in 1..=4u32 {
            let interest_day = Date::ymd(year, quarter * 3, 21);
            while let Some(r) = pending.next_if(|r| r.date <= interest_day) {
                balance += if r.kind == "支取" {
                    -r.amount
                } else {
                    r.amount
                };
                out.push(r);
            }
            let interest = balance * 35 / 10_000;
            balance += interest;
            out.push(FundRow {
                date: interest_day,
                order: 1,
                kind: "利息",
                amount: interest,
                project: String::new(),
                voucher: String::new(),
                memo: format!(
                    "第{}季度利息",
                    ["一", "二", "三", "四"][quarter as usize - 1]
                ),
            });
        }
        let year_end = Date::ymd(year, 12, 31);
        while let Some(r) = pending.next_if(|r| r.date <= year_end) {
            balance += if r.kind == "支取" {
                -r.amount
            } else {
                r.amount
            };
            out.push(r);
        }
        out.push(FundRow {
            date: year_end,
            order: 2,
            kind: "结存",
            amount: balance,
            project: String::new(),
            voucher: String::new(),
            memo: "年末结存（与银行对账单一致）".to_string(),
        });
        year_ends.push(balance);
    }
    debug_assert!(pending.next().is_none());
    // Withdrawal vouchers are numbered per year in date order.
    let mut numbered = (0, 0);
    for r in out.iter_mut().filter(|r| r.kind == "支取") {
        let year = r.date.year();
        numbered = if numbered.0 == year {
            (year, numbered.1 + 1)
        } else {
            (year, 1)
        };
        r.voucher = format!("WX{year}-{:03}", numbered.1);
    }
    (out, year_ends)
}

// ---------------------------------------------------------------------------------------------
// Writing the files
// ---------------------------------------------------------------------------------------------

fn write_compound(spec: &SynthSpec, index: usize, content: &Path, out: &mut Out) -> io::Result<()> {
    let mut rng = Rng::new(spec.seed, index as u64);
    let c = make_compound(&mut rng, index, spec);
    let fees = make_fees(&mut rng, &c);
    let revenue = make_revenue(&mut rng, &c);
    let (projects, tenders) = make_works(&mut rng, &c);
    let (fund, year_ends) = make_fund(&mut rng, &c, &revenue, &projects);

    let dir = content.join(&c.slug);
    for sub in ["projects", "tenders", "notices"] {
        fs::create_dir_all(dir.join(sub))?;
    }
    out.write(&dir.join("compound.toml"), &compound_toml(&c))?;
    out.write(&dir.join("fees.csv"), &fees_csv(&c, &fees))?;
    out.write(&dir.join("revenue.csv"), &revenue_csv(&revenue))?;
    out.write(&dir.join("fund.csv"), &fund_csv(&fund))?;
    for p in &projects {
        let text = project_toml(&c, p, &tenders);
        out.write(&dir.join("projects").join(format!("{}.toml", p.id)), &text)?;
    }
    for t in &tenders {
        let text = tender_toml(t, &projects);
        out.write(&dir.join("tenders").join(format!("{}.toml", t.id)), &text)?;
    }
    let ctx = Ctx {
        c: &c,
        fees: &fees,
        revenue: &revenue,
        projects: &projects,
        tenders: &tenders,
        year_ends: &year_ends,
    };
    for (id, text) in notices(&mut rng, &ctx) {
        out.write(&dir.join("notices").join(format!("{id}.md")), &text)?;
    }
    Ok(())
}

fn compound_toml(c: &Compound) -> String {
    let mut s = String::with_capacity(2048);
    let _ = writeln!(s, "# 小区基本信息（合成数据）");
    let _ = writeln!(s, "name = \"{}\"", c.name);
    let _ = writeln!(s, "city = \"{}\"", c.city.name);
    let _ = writeln!(s, "district = \"{}\"", c.district);
    if let Some(street) = c.street {
        let _ = writeln!(s, "street = \"{street}\"");
    }
    let _ = writeln!(s, "community = \"{}\"", c.community);
    let _ = writeln!(s, "households = {}", c.households);
    let _ = writeln!(s, "floor_area = {}", q(c.floor_area));
    let _ = writeln!(s, "management = \"物业服务企业\"");
    let _ = writeln!(s, "property_company = \"{}\"", c.company);
    let _ = writeln!(s, "contact = \"{}\"", c.contact);
    let kinds: Vec<&str> = c.types.iter().map(|t| t.name).collect();
    let _ = writeln!(
        s,
        "summary = \"{}{}的{}小区，共{}栋楼、{}户，由{}提供物业服务。\"",
        c.district,
        c.community,
        kinds.join("、"),
        c.buildings,
        c.households,
        c.company
    );
    let _ = writeln!(s, "\n[committee]");
    let _ = writeln!(s, "name = \"{}\"", c.committee);
    let _ = writeln!(s, "term_start = {}", c.term_start.iso());
    let (y, m, d) = c.term_start.plus(-1).parts();
    let _ = writeln!(s, "term_end = {}", Date::ymd(y + 5, m, d).iso());
    let _ = writeln!(s, "members = [");
    for (role, name) in &c.members {
        let _ = writeln!(s, "  {{ role = \"{role}\", name = \"{name}\" }},");
    }
    let _ = writeln!(s, "]");
    for t in &c.types {
        let _ = writeln!(s, "\n[[fee_standard]]");
        let _ = writeln!(s, "building_type = \"{}\"", t.name);
        let _ = writeln!(s, "price = \"{}\"", yuan(t.price));
        let _ = writeln!(s, "charging = \"包干制\"");
        let form = if t.name == "商业" {
            "市场调节价"
        } else {
            "政府指导价"
        };
        let _ = writeln!(s, "price_form = \"{form}\"");
        let _ = writeln!(s, "effective = {}-01-01", c.first_year - 2);
        let _ = writeln!(s, "basis = \"{}年第1次业主大会决议\"", c.first_year - 3);
    }
    s
}

fn fees_csv(c: &Compound, rows: &[FeeRow]) -> String {
    let mut s = String::with_capacity(rows.len() * 80 + 64);
    s.push_str("期间,建筑类型,应缴户数,已缴户数,应收金额,实收金额,清欠金额,备注\n");
    for r in rows {
        let _ = writeln!(
            s,
            "{}-{:02},{},{},{},{},{},{},{}",
            r.year,
            r.month,
            c.types[r.ty].name,
            r.billed,
            r.paid,
            q(r.receivable),
            q(r.received),
            q(r.arrears),
            r.note
        );
    }
    s
}

fn revenue_csv(rows: &[Revenue]) -> String {
    let mut s = String::with_capacity(rows.len() * 180 + 96);
    s.push_str("日期,类别,项目,相对方,收入金额,合理成本,净收益,去向,决议,凭证号,备注\n");
    for r in rows {
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{},{},{},{},{}",
            r.date.iso(),
            CATEGORIES[r.cat],
            r.item,
            r.counterparty,
            q(r.gross),
            q(r.costs),
            q(r.gross - r.costs),
            ALLOCATIONS[r.alloc],
            r.resolution,
            r.voucher,
            r.note
        );
    }
    s
}

fn fund_csv(rows: &[FundRow]) -> String {
    let mut s = String::with_capacity(rows.len() * 90 + 48);
    s.push_str("日期,类型,金额,项目,凭证号,摘要\n");
    for r in rows {
        let _ = writeln!(
            s,
            "{},{},{},{},{},{}",
            r.date.iso(),
            r.kind,
            q(r.amount),
            r.project,
            r.voucher,
            r.memo
        );
    }
    s
}

fn project_toml(c: &Compound, p: &Project, tenders: &[Tender]) -> String {
    let mut s = String::with_capacity(3072);
    let _ = writeln!(s, "title = \"{}\"", p.title);
    let _ = writeln!(s, "scope = \"{}\"", p.scope);
    let _ = writeln!(s, "matter = \"使用维修资金\"");
    let _ = writeln!(s, "budget = {}", q(p.budget));
    let _ = writeln!(s, "apportionment = \"按建筑面积分摊\"");
    let _ = writeln!(s, "contractor = \"{}\"", p.contractor);
    if let Some(t) = p.tender {
        let _ = writeln!(s, "tender = \"{}\"", tenders[t].id);
    }
    let _ = writeln!(s, "contract_amount = {}", q(p.contract_amount));
    if let Some(settled) = p.settled {
        let _ = writeln!(s, "settled_cost = {}", q(settled));
    }
    let _ = writeln!(s, "plan_published = {}", p.plan.iso());
    let _ = writeln!(s, "start_date = {}", p.start.iso());
    if let Some(done) = p.completed {
        let _ = writeln!(s, "completed = {}", done.iso());
    }
    let status = if p.completed.is_some() {
        "已完工"
    } else {
        "施工中"
    };
    let _ = writeln!(s, "status = \"{status}\"");
    let _ = writeln!(s, "description = \"\"\"");
    let _ = writeln!(s, "{}{}", p.scope, p.kind.why);
    let _ = writeln!(
        s,
        "{}于{}公示维修方案，预算{}元，费用在{}范围内按建筑面积分摊。",
        c.committee,
        p.plan.zh(),
        yuan(p.budget),
        p.scope
    );
    let _ = writeln!(s);
    match p.tender {
        Some(t) => {
            let t = &tenders[t];
            let _ = writeln!(
                s,
                "施工单位经{}确定，共{}家单位参与，中标价{}元，比首次报价{}元节约{}元。",
                t.method,
                t.bids.len(),
                yuan(t.contract_amount()),
                yuan(t.first_quote),
                yuan(t.first_quote - t.contract_amount())
            );
        }
        None => {
            let _ = writeln!(
                s,
                "工程金额较小，经业主大会授权，业委会在三家单位询价后直接委托{}施工，合同金额{}元。",
                p.contractor,
                yuan(p.contract_amount)
            );
        }
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "- 合同签订：{}", p.contract_date.zh());
    let _ = writeln!(s, "- 开工日期：{}", p.start.zh());
    match (p.completed, p.settled) {
        (Some(done), Some(settled)) => {
            let _ = writeln!(s, "- 竣工验收：{}", done.zh());
            let _ = writeln!(s, "- 结算金额：{} 元", yuan(settled));
        }
        _ => {
            let _ = writeln!(s, "- 目前施工中，结算后公示结算金额");
        }
    }
    if let Some((source, amount)) = p.funding {
        let _ = writeln!(
            s,
            "- 其中{}承担 {} 元，其余由维修资金列支",
            source,
            yuan(amount)
        );
    }
    let _ = writeln!(s, "\"\"\"");
    let v = &p.vote;
    let _ = writeln!(s, "\n[vote]");
    let _ = writeln!(s, "start = {}", v.start.iso());
    let _ = writeln!(s, "end = {}", v.end.iso());
    let _ = writeln!(s, "method = \"{}\"", v.method);
    let names = ["total", "participating", "agree", "oppose", "abstain"];
    for (i, name) in names.iter().enumerate() {
        let _ = writeln!(s, "{name}_area = {}", q(v.area[i]));
        let _ = writeln!(s, "{name}_owners = {}", v.owners[i]);
    }
    if let Some((source, amount)) = p.funding {
        let _ = writeln!(s, "\n[[funding]]");
        let _ = writeln!(s, "source = \"{source}\"");
        let _ = writeln!(s, "amount = {}", q(amount));
    }
    s
}

fn tender_toml(t: &Tender, projects: &[Project]) -> String {
    let mut s = String::with_capacity(2048);
    let _ = writeln!(s, "title = \"{}\"", t.title);
    let _ = writeln!(s, "funding = \"{}\"", t.funding);
    if let Some(p) = t.project {
        let _ = writeln!(s, "project = \"{}\"", projects[p].id);
    }
    let _ = writeln!(s, "method = \"{}\"", t.method);
    let _ = writeln!(s, "first_quote = {}", q(t.first_quote));
    let _ = writeln!(s, "first_quote_by = \"{}\"", t.first_quote_by);
    let _ = writeln!(s, "budget = {}", q(t.budget));
    let _ = writeln!(s, "announced = {}", t.announced.iso());
    let _ = writeln!(s, "opened = {}", t.opened.iso());
    let _ = writeln!(s, "awarded = {}", t.awarded.iso());
    let _ = writeln!(s, "publicity_start = {}", t.publicity.0.iso());
    let _ = writeln!(s, "publicity_end = {}", t.publicity.1.iso());
    let _ = writeln!(s, "winner = \"{}\"", t.bids[t.winner].0);
    if !t.winner_reason.is_empty() {
        let _ = writeln!(s, "winner_reason = \"{}\"", t.winner_reason);
    }
    let _ = writeln!(s, "contract_amount = {}", q(t.contract_amount()));
    let _ = writeln!(s, "contract_date = {}", t.contract_date.iso());
    for (bidder, amount) in &t.bids {
        let _ = writeln!(s, "\n[[bid]]");
        let _ = writeln!(s, "bidder = \"{bidder}\"");
        let _ = writeln!(s, "amount = {}", q(*amount));
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Notices
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Topic {
    Fees,
    Revenue,
    Fund,
    Elevator,
    Clubhouse,
    Parking,
    Tender,
    Meeting,
}

fn pool(topic: Topic) -> &'static [&'static str] {
    match topic {
        Topic::Fees => FEES_SENTENCES,
        Topic::Revenue => REVENUE_SENTENCES,
        Topic::Fund => FUND_SENTENCES,
        Topic::Elevator => ELEVATOR_SENTENCES,
        Topic::Clubhouse => CLUBHOUSE_SENTENCES,
        Topic::Parking => PARKING_SENTENCES,
        Topic::Tender => TENDER_SENTENCES,
        Topic::Meeting => MEETING_SENTENCES,
    }
}

const FEES_SENTENCES: &[&str] = &[
    "物业费是保障小区日常保洁、秩序维护、绿化养护和共用设施设备运行的主要资金来源，按时足额缴纳是每位业主应尽的义务。",
    "根据物业服务合同约定，物业费按月计收，业主可通过物业服务中心前台、银行代扣或线上缴费平台办理。",
    "{年}年度{小区}物业费整体收缴情况平稳，高层住宅收缴率略高于多层住宅，商业网点受经营状况影响有所波动。",
    "对于长期欠缴物业费的业主，{物业}将先行上门沟通、发放书面催缴通知，必要时依法通过诉讼途径追缴。",
    "往期欠费的追缴金额单独列示为清欠金额，不计入当期收缴率，以如实反映当期的收缴水平。",
    "业主对物业服务质量有意见的，请通过业委会或物业服务中心反映，不宜以拒缴物业费的方式表达诉求。",
    "物业服务企业应当每半年向全体业主公示一次物业费收支情况，接受业主和业主委员会的监督。",
    "空置房屋的物业费按照物业服务合同和本市相关规定执行，业主办理空置登记后可按约定比例减免。",
    "本期应收金额按照各类建筑的专有部分面积乘以收费标准计算，收费标准自合同生效之日起未作调整。",
    "业委会将委托第三方对{物业}的收费台账进行抽查，核对应收、实收与银行到账记录是否一致。",
    "为方便老年业主缴费，物业服务中心在每月第一个周末延长服务时间，并为行动不便的业主提供上门收费服务。",
    "收费标准的调整须经业主大会依法表决通过，任何单位和个人不得擅自提高收费标准或增加收费项目。",
    "物业费收入主要用于管理服务人员工资、公共区域水电、电梯和消防设施日常维保以及绿化保洁等支出。",
];

const REVENUE_SENTENCES: &[&str] = &[
    "利用小区共用部位、共用设施设备经营所得的收益，在扣除合理成本之后属于全体业主共有。",
    "公共收益实行单独列账、专户管理，每一笔收入均有对应的合同和凭证，业主可预约查阅原始凭证。",
    "本年度公共收益主要来源于地面停车位租金、电梯轿厢广告和通信基站场地租金，三项合计占全年收入的大部分。",
    "合理成本仅限于税费、经营所需的水电费用和直接人工，不得将物业服务企业的日常管理费用列入成本。",
    "根据业主大会决议，公共收益净额的主要部分转入专项维修资金账户，用于补充共用设施设备的维修和更新。",
    "少部分公共收益经业主大会同意作为业委会工作经费，用于会议组织、公示印刷和法律咨询等必要支出。",
    "部分公共收益按决议用于抵扣全体业主的物业费，抵扣金额按户均分并在下一期物业费账单中体现。",
    "广告合同到期后，业委会将通过公开比选重新确定广告经营单位，以提高共用部位的经营收益。",
    "快递柜和充电桩的场地使用费按照合同约定结算，{物业}应在收款后五个工作日内入账。",
    "公共收益的明细账目每季度在小区公告栏和本平台同步公示，公示期不少于七日。",
    "业主如发现有利用共用部位经营而未纳入公共收益账目的情况，可向业委会实名反映，业委会将在十个工作日内核实答复。",
    "物业服务企业代为经营共用部位的，应当与业委会签订书面协议，明确收益分配比例和结算方式。",
];

const FUND_SENTENCES: &[&str] = &[
    "专项维修资金专项用于住宅共用部位、共用设施设备保修期满后的维修和更新、改造，不得挪作他用。",
    "使用维修资金须经专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与表决，并经参与表决者过半数同意。",
    "维修资金账户由银行按季度结息，利息计入维修资金本金，年末结存以银行对账单为准。",
    "每一笔维修资金支取均对应一个经业主表决通过的使用项目，支取凭证和工程结算资料已存档备查。",
    "维修费用按照建筑面积在列支范围内的业主之间分摊，分摊明细可在业委会办公室查询。",
    "发生危及房屋安全等紧急情况时，可以按照应急维修程序先行使用维修资金，事后向业主公示使用情况。",
    "业主分户账余额不足首期交存额百分之三十的，应当按规定及时续筹，以保障共用设施的正常维修。",
    "维修资金使用方案应当包括维修范围、维修方案、费用预算、分摊方式和施工单位的选定方式等内容。",
    "工程竣工后，由业委会组织业主代表、{物业}和监理单位共同验收，验收合格后方可办理结算支取。",
    "维修资金的收支明细和年末结存在本平台长期公示，业主可随时核对自己所在楼栋的列支情况。",
    "为减少资金闲置，业委会正在研究在保证安全的前提下将部分维修资金转存为定期存款的方案。",
    "质保金在质保期满且无质量问题后支付，质保期内出现的问题由施工单位负责免费维修。",
];

const ELEVATOR_SENTENCES: &[&str] = &[
    "小区部分电梯已运行超过十五年，主要部件老化，近两年故障停梯次数明显增加，影响业主出行安全。",
    "经特种设备检验机构检测，相关电梯的曳引机、控制柜和门机系统存在安全隐患，建议进行整梯更新或重大修理。",
    "电梯日常维护保养由具有相应资质的维保单位负责，每十五日至少进行一次清洁、润滑、调整和检查。",
    "电梯年度定期检验已全部完成，检验合格标志张贴在轿厢内显著位置，请业主乘梯前留意查看。",
    "施工期间相关单元电梯将暂停使用，{物业}将安排人员协助老人、孕妇和行动不便的业主上下楼。",
    "请业主文明乘梯，不要在轿厢内吸烟、蹦跳，不要用身体或物品阻挡电梯门关闭，装修材料应包装后搬运。",
    "电梯困人时请保持冷静，按下轿厢内的紧急呼叫按钮，切勿强行扒门，维保人员将在三十分钟内到达现场。",
    "新电梯安装完成后须经特种设备检验机构验收合格并办理使用登记，方可交付业主使用。",
    "电梯更新工程采用整梯更换方式，新梯载重和速度与原电梯一致，并增加能量回馈和远程监测功能。",
    "业委会已邀请专业人士对各投标单位的电梯品牌、配置和售后服务进行比较，比较结果附在招标文件中。",
];

const CLUBHOUSE_SENTENCES: &[&str] = &[
    "会所是全体业主共有的公共活动场所，其使用和经营方式由业主大会决定，任何单位不得擅自改变用途。",
    "会所屋面多处渗漏，墙面空鼓脱落，地面瓷砖破损，已不能满足业主日常活动的需要。",
    "修缮后的会所将设置老年活动室、儿童阅览区和多功能厅，免费向本小区业主开放。",
    "会所开放时间为每日上午八时至晚上九时，业主可凭门禁卡进入，举办活动需提前三日在物业服务中心登记。",
    "会所部分场地对外出租所得租金计入公共收益，租赁期限和租金标准已经业主大会表决通过。",
    "请使用会所的业主爱护公共设施，活动结束后关闭水电门窗，保持室内整洁。",
    "会所内禁止吸烟，禁止携带宠物进入，严禁存放易燃易爆物品。",
    "会所修缮工程完工后，业委会将组织业主代表参与验收，并公示工程结算情况。",
    "周末会所多功能厅优先安排社区文化活动和业主自发组织的兴趣小组活动。",
];

const PARKING_SENTENCES: &[&str] = &[
    "小区地面停车位属于业主共有，优先满足本小区业主的停车需要，剩余车位方可对外临时出租。",
    "停车位实行登记管理，每户原则上限租一个地面车位，租期为一年，到期后按登记顺序重新分配。",
    "临时停车收费标准为首小时免费，之后每小时两元，每日最高不超过二十元，收费标准已在出入口公示。",
    "请车主按照地面标线规范停车，不得占用消防通道、绿地和无障碍通道，违者将被劝离。",
    "停车收费系统的每一笔收入均实时上传至收费平台，业委会可随时查询收费流水。",
    "为缓解停车难，业委会正在征求业主意见，研究利用小区边角空地增设停车位的方案。",
    "新能源汽车充电桩的安装须经{物业}审核，充电桩运营单位应向业主公开收费标准。",
    "停车收入扣除管理人员劳务费和系统运维费用后，净额按照业主大会决议计入公共收益。",
    "夜间请勿在单元门口长时间停放车辆，以免影响消防救援和其他业主通行。",
    "小区出入口监控和道闸系统升级后，外来车辆须登记后方可进入，业主车辆自动识别放行。",
];

const TENDER_SENTENCES: &[&str] = &[
    "本次招标遵循公开、公平、公正和诚实信用的原则，欢迎具备相应资质的单位踊跃参加。",
    "投标单位须具有独立法人资格和相应的施工资质，近三年内无重大安全事故和不良信用记录。",
    "投标文件应当密封递交，逾期送达或者未按要求密封的投标文件，招标人不予受理。",
    "开标由业委会主持，邀请业主代表、社区工作人员和物业服务企业代表到场监督，开标过程全程录像。",
    "评标采用综合评分法，从报价、施工方案、工期、质量保证和售后服务等方面进行评审。",
    "中标单位确定后将在小区公告栏和本平台公示，公示期内业主可对结果提出书面异议。",
    "招标控制价由业委会委托造价咨询机构编制，投标报价超过控制价的按无效标处理。",
    "与招标人、物业服务企业存在利害关系的单位不得参加本次投标，业委会成员的近亲属不得参与评标。",
    "合同签订后，中标单位不得将工程转包或者违法分包，施工过程接受业委会和业主代表的监督。",
    "本次招标的全部资料，包括招标文件、投标文件、评标记录和合同，均存档保存不少于五年。",
];

const GENERAL_SENTENCES: &[&str] = &[
    "业主对本公示内容有疑问或异议的，可在公示期内以书面形式向业委会提出，业委会将在十个工作日内答复。",
    "本公示同时张贴于各单元公告栏，并在本平台长期保存，欢迎业主监督。",
    "社区居委会和街道办事处对业委会的工作进行指导和监督，业主也可以直接向社区反映情况。",
    "业委会委员名单、联系方式和接待时间已在小区公告栏公布，欢迎业主来访。",
    "感谢全体业主对业委会工作的理解和支持，我们将继续坚持公开透明，接受大家的监督。",
    "业委会每月召开一次例会，会议纪要在会后七日内公示，重要事项提交业主大会决定。",
    "{物业}应当配合业委会做好公示工作，及时提供相关账目和凭证。",
    "业主查阅账目原始凭证的，请提前两日预约，查阅时请出示房产证明或身份证件。",
    "{业委会}办公地点设在物业服务中心二楼，联系方式：{联系}。",
];

const MEETING_SENTENCES: &[&str] = &[
    "会议由业委会主任主持，应到委员全部出席，社区居委会派员列席，符合议事规则要求。",
    "会议听取了{物业}关于上季度物业服务情况和物业费收缴情况的汇报。",
    "经讨论，会议同意将本季度公共收益净额按业主大会决议转入专项维修资金账户。",
    "会议研究了业主反映的楼道照明、绿化修剪和垃圾清运等问题，责成{物业}限期整改。",
    "会议决定下月组织一次业主开放日，邀请业主实地查看小区设施设备运行情况。",
    "与会委员对维修资金使用方案的预算和分摊方式进行了逐项审议，同意提交业主表决。",
    "会议要求{物业}在每月五日前报送上月收支明细，由业委会财务委员核对后公示。",
    "全体与会委员在会议记录上签字确认，会议记录由业委会办公室存档。",
    "会议对下一阶段的工作进行了部署，明确了各项工作的责任委员和完成时限。",
];

struct Ctx<'a> {
    c: &'a Compound,
    fees: &'a [FeeRow],
    revenue: &'a [Revenue],
    projects: &'a [Project],
    tenders: &'a [Tender],
    year_ends: &'a [i64],
}

/// A markdown body under construction, padded with sentences of its topics to a target length.
struct Body<'a> {
    text: String,
    ctx: &'a Ctx<'a>,
    year: i32,
    /// Unused sentences of the notice's topics, shuffled.
    sentences: Vec<&'static str>,
    /// Unused sentences about supervision and objections, shuffled.
    general: Vec<&'static str>,
    /// The line before the signature.
    closing: &'static str,
}

impl<'a> Body<'a> {
    fn new(rng: &mut Rng, ctx: &'a Ctx<'a>, year: i32, topics: &[Topic]) -> Body<'a> {
        let mut sentences: Vec<&'static str> = topics
            .iter()
            .flat_map(|&t| pool(t).iter().copied())
            .collect();
        rng.shuffle(&mut sentences);
        let mut general = GENERAL_SENTENCES.to_vec();
        rng.shuffle(&mut general);
        Body {
            text: String::with_capacity(4096),
            ctx,
            year,
            sentences,
            general,
            closing: "特此公告。",
        }
    }

    fn chars(&self) -> usize {
        self.text.chars().count()
    }

    fn fill(&self, sentence: &str) -> String {
        sentence
            .replace("{小区}", &self.ctx.c.name)
            .replace("{物业}", &self.ctx.c.company)
            .replace("{业委会}", &self.ctx.c.committee)
            .replace("{联系}", &self.ctx.c.contact)
            .replace("{年}", &self.year.to_string())
    }

    /// A blank line before a block, except at the very start of the body.
    fn gap(&mut self) {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
    }

    fn line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
    }

    fn heading(&mut self, h: &str) {
        let _ = write!(self.text, "\n## {h}\n");
    }

    /// A paragraph of `n` sentences of the notice's topics (fewer if the pool runs dry).
    fn para(&mut self, n: usize) {
        self.para_from(n, false);
    }

    fn para_from(&mut self, n: usize, general: bool) {
        let mut p = String::new();
        for _ in 0..n {
            let next = if general {
                self.general.pop()
            } else {
                self.sentences.pop()
            };
            if let Some(s) = next {
                p.push_str(&self.fill(s));
            }
        }
        if !p.is_empty() {
            self.gap();
            self.line(&p);
        }
    }

    fn list(&mut self, items: &[String]) {
        self.gap();
        for item in items {
            let _ = writeln!(self.text, "- {item}");
        }
    }

    fn numbered(&mut self, n: usize) {
        self.gap();
        for i in 1..=n {
            if let Some(s) = self.sentences.pop() {
                let _ = writeln!(self.text, "{i}. {}", self.fill(s));
            }
        }
    }

    fn table(&mut self, header: &[&str], rows: &[Vec<String>]) {
        self.gap();
        let _ = writeln!(self.text, "| {} |", header.join(" | "));
        let numeric = |i: usize| {
            rows.first()
                .and_then(|r| r.get(i))
                .is_some_and(|cell| cell.starts_with(|ch: char| ch.is_ascii_digit()))
        };
        let aligns: Vec<&str> = (0..header.len())
            .map(|i| if i > 0 && numeric(i) { "---:" } else { "---" })
            .collect();
        let _ = writeln!(self.text, "|{}|", aligns.join("|"));
        for row in rows {
            let _ = writeln!(self.text, "| {} |", row.join(" | "));
        }
    }

    /// Pads with paragraphs of the notice's topics to about `target` characters, adds a section
    /// on supervision if asked, then signs.
    fn finish(mut self, rng: &mut Rng, target: usize, date: Date, supervise: bool) -> String {
        let reserve = if supervise { 130 } else { 40 };
        while self.chars() + reserve < target && !self.sentences.is_empty() {
            let n = rng.range(2, 4) as usize;
            self.para(n);
        }
        if supervise {
            self.heading("监督与异议");
            self.para_from(2, true);
        }
        while self.chars() + 40 < target && !self.general.is_empty() {
            self.para_from(2, true);
        }
        let _ = write!(
            self.text,
            "\n{}\n\n{}\n\n{}\n",
            self.closing,
            self.ctx.c.committee,
            date.zh()
        );
        self.text
    }
}

fn notice_file(title: &str, date: Date, kind: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndate = {}\nkind = \"{kind}\"\n+++\n\n{body}",
        date.iso()
    )
}

fn target_len(rng: &mut Rng) -> usize {
    rng.range(600, 860) as usize
}

/// About ten notices: the tenders' announcements and results, the projects' vote results, yearly
/// fee and revenue reports, committee minutes and everyday announcements.
fn notices(rng: &mut Rng, ctx: &Ctx) -> Vec<(String, String)> {
    let c = ctx.c;
    let mut out: Vec<(String, String)> = Vec::new();
    let mut ids = BTreeSet::new();
    let mut push = |out: &mut Vec<(String, String)>, date: Date, slug: &str, text: String| {
        let (y, m, _) = date.parts();
        let base = format!("{y:04}-{m:02}-{slug}");
        let mut id = base.clone();
        let mut k = 2;
        while !ids.insert(id.clone()) {
            id = format!("{base}-{k}");
            k += 1;
        }
        out.push((id, text));
    };

    for t in ctx.tenders {
        let slug = t.id.trim_end_matches("-tender").to_string();
        let (date, text) = tender_announcement(rng, ctx, t);
        push(&mut out, date, &format!("{slug}-call"), text);
        let (date, text) = tender_result(rng, ctx, t);
        push(&mut out, date, &format!("{slug}-result"), text);
    }
    for p in ctx.projects {
        let (date, text) = vote_result(rng, ctx, p);
        push(&mut out, date, &format!("{}-vote", p.id), text);
    }
    let mut extra = 0;
    let wanted = 10usize.saturating_sub(out.len()).max(1);
    let mut year_offsets: Vec<i32> = (0..c.years).collect();
    rng.shuffle(&mut year_offsets);
    let mut turn = rng.below(4);
    while extra < wanted {
        let year = c.first_year + year_offsets[extra % year_offsets.len()];
        let (date, slug, text) = match turn % 4 {
            0 => fee_report(rng, ctx, year),
            1 => revenue_report(rng, ctx, year),
            2 => minutes(rng, ctx, year),
            _ => everyday(rng, ctx, year),
        };
        push(&mut out, date, &slug, text);
        turn += 1;
        extra += 1;
    }
    out
}

fn tender_announcement(rng: &mut Rng, ctx: &Ctx, t: &Tender) -> (Date, String) {
    let date = t.announced;
    let mut b = Body::new(rng, ctx, date.year(), &[Topic::Tender, t.topic]);
    b.line("各有关单位：");
    b.para(2);
    b.heading("一、项目概况");
    let mut facts = vec![
        format!("项目名称：{}", t.title),
        format!("资金来源：{}", t.funding),
        format!("招标方式：{}", t.method),
        format!("招标控制价：{} 元", yuan(t.budget)),
    ];
    if let Some(p) = t.project {
        facts.push(format!("实施范围：{}", ctx.projects[p].scope));
    }
    b.list(&facts);
    b.heading("二、投标要求");
    b.numbered(3);
    b.heading("三、时间安排");
    b.list(&[
        format!("报名及递交投标文件截止：{}", t.opened.plus(-1).zh()),
        format!("开标时间：{} 上午9:30", t.opened.zh()),
        "开标地点：物业服务中心二楼会议室".to_string(),
    ]);
    let target = target_len(rng);
    let body = b.finish(rng, target, date, true);
    (
        date,
        notice_file(&format!("{}公告", t.title), date, "招标公告", &body),
    )
}

fn tender_result(rng: &mut Rng, ctx: &Ctx, t: &Tender) -> (Date, String) {
    let date = t.publicity.0;
    let mut b = Body::new(rng, ctx, date.year(), &[Topic::Tender, t.topic]);
    b.line("各位业主：");
    let winner = &t.bids[t.winner];
    b.gap();
    b.line(&format!(
        "{}于{}开标，共有{}家单位递交投标文件。经评审，确定{}为中标单位，中标价 {} 元，较首次报价（{}）{} 元节约 {} 元。",
        t.title,
        t.opened.zh(),
        t.bids.len(),
        winner.0,
        yuan(winner.1),
        t.first_quote_by,
        yuan(t.first_quote),
        yuan(t.first_quote - winner.1)
    ));
    b.heading("一、投标报价");
    let mut order: Vec<usize> = (0..t.bids.len()).collect();
    order.sort_by_key(|&i| t.bids[i].1);
    let rows: Vec<Vec<String>> = order
        .iter()
        .enumerate()
        .map(|(rank, &i)| {
            vec![
                (rank + 1).to_string(),
                t.bids[i].0.clone(),
                yuan(t.bids[i].1),
                if i == t.winner { "中标" } else { "" }.to_string(),
            ]
        })
        .collect();
    b.table(&["序号", "投标单位", "报价（元）", "结果"], &rows);
    if !t.winner_reason.is_empty() {
        b.gap();
        b.line(&format!("说明：{}。", t.winner_reason));
    }
    b.heading("二、公示期");
    b.gap();
    b.line(&format!(
        "公示期自{}至{}。公示期满无异议的，业委会将与中标单位签订合同。",
        t.publicity.0.zh(),
        t.publicity.1.zh()
    ));
    b.para(2);
    let target = target_len(rng);
    let body = b.finish(rng, target, date, true);
    (
        date,
        notice_file(&format!("{}结果公示", t.title), date, "结果公示", &body),
    )
}

fn vote_result(rng: &mut Rng, ctx: &Ctx, p: &Project) -> (Date, String) {
    let v = &p.vote;
    let date = v.end.plus(rng.range(1, 3));
    let mut b = Body::new(rng, ctx, date.year(), &[Topic::Fund, p.kind.topic]);
    b.line("全体业主：");
    b.gap();
    b.line(&format!(
        "{}使用专项维修资金的事项，于{}至{}以{}方式征求{}业主意见。现将表决结果公告如下。",
        p.title,
        v.start.zh(),
        v.end.zh(),
        v.method,
        p.scope
    ));
    b.heading("一、表决结果");
    let row = |label: &str, i: usize| {
        vec![
            label.to_string(),
            yuan(v.area[i]),
            pct(v.area[i], if i < 2 { v.area[0] } else { v.area[1] }),
            v.owners[i].to_string(),
            pct(v.owners[i], if i < 2 { v.owners[0] } else { v.owners[1] }),
        ]
    };
    b.table(
        &["项目", "面积（㎡）", "占比", "人数", "占比"],
        &[
            row("总数", 0),
            row("参与表决", 1),
            row("同意", 2),
            row("反对", 3),
            row("弃权", 4),
        ],
    );
    b.gap();
    b.line(
        "参与表决的专有部分面积和人数均达到三分之二以上，同意的面积和人数均超过参与表决者的半数，\
         依照《民法典》第二百七十八条，本事项表决通过。",
    );
    b.heading("二、实施安排");
    b.list(&[
        format!("预算金额：{} 元", yuan(p.budget)),
        "分摊方式：按建筑面积分摊".to_string(),
        format!(
            "施工单位选定：{}",
            if p.tender.is_some() {
                "公开招标或比选，结果另行公示"
            } else {
                "询价后直接委托"
            }
        ),
    ]);
    b.para(2);
    let target = target_len(rng);
    let body = b.finish(rng, target, date, true);
    (
        date,
        notice_file(
            &format!("关于{}的表决结果公告", p.title),
            date,
            "决议",
            &body,
        ),
    )
}

fn fee_report(rng: &mut Rng, ctx: &Ctx, year: i32) -> (Date, String, String) {
    let c = ctx.c;
    let date = Date::ymd(year + 1, 1, rng.range(8, 20) as u32);
    let mut b = Body::new(rng, ctx, year, &[Topic::Fees]);
    b.line("各位业主：");
    b.gap();
    b.line(&format!(
        "现将{year}年度{}物业费收缴情况公示如下。收缴率为实收金额与应收金额之比，清欠金额单独列示。",
        c.name
    ));
    b.heading(&format!("一、{year}年度收缴情况"));
    let mut rows = Vec::new();
    let (mut total_r, mut total_c, mut total_a) = (0, 0, 0);
    for (ty, t) in c.types.iter().enumerate() {
        let of_type = ctx.fees.iter().filter(|r| r.year == year && r.ty == ty);
        let (r, col, a) = of_type.fold((0, 0, 0), |(r, col, a), f| {
            (r + f.receivable, col + f.received, a + f.arrears)
        });
        total_r += r;
        total_c += col;
        total_a += a;
        rows.push(vec![
            t.name.to_string(),
            yuan(r),
            yuan(col),
            pct(col, r),
            yuan(a),
        ]);
    }
    rows.push(vec![
        "合计".to_string(),
        yuan(total_r),
        yuan(total_c),
        pct(total_c, total_r),
        yuan(total_a),
    ]);
    b.table(
        &[
            "建筑类型",
            "应收金额（元）",
            "实收金额（元）",
            "收缴率",
            "清欠金额（元）",
        ],
        &rows,
    );
    b.heading("二、收费标准");
    let standards: Vec<String> = c
        .types
        .iter()
        .map(|t| format!("{}：{} 元/㎡·月，{}户", t.name, yuan(t.price), t.households))
        .collect();
    b.list(&standards);
    b.para(3);
    let target = target_len(rng);
    let body = b.finish(rng, target, date, true);
    let title = format!("{year}年度物业费收缴情况公示");
    (
        date,
        format!("fees-{year}"),
        notice_file(&title, date, "公告", &body),
    )
}

fn revenue_report(rng: &mut Rng, ctx: &Ctx, year: i32) -> (Date, String, String) {
    let date = Date::ymd(year + 1, 1, rng.range(15, 28) as u32);
    let mut b = Body::new(rng, ctx, year, &[Topic::Revenue, Topic::Fund]);
    b.line("各位业主：");
    b.gap();
    b.line(&format!(
        "现将{year}年度小区公共收益收支情况公示如下，明细见本平台公共收益台账。"
    ));
    b.heading("一、分类汇总");
    let mut rows = Vec::new();
    let (mut tg, mut tc) = (0, 0);
    for (cat, name) in CATEGORIES.iter().enumerate() {
        let (g, co, n) = ctx
            .revenue
            .iter()
            .filter(|r| r.cat == cat && r.date.year() == year)
            .fold((0, 0, 0), |(g, co, n), r| {
                (g + r.gross, co + r.costs, n + 1)
            });
        if n == 0 {
            continue;
        }
        tg += g;
        tc += co;
        rows.push(vec![
            name.to_string(),
            n.to_string(),
            yuan(g),
            yuan(co),
            yuan(g - co),
        ]);
    }
    rows.push(vec![
        "合计".to_string(),
        String::new(),
        yuan(tg),
        yuan(tc),
        yuan(tg - tc),
    ]);
    b.table(
        &[
            "类别",
            "笔数",
            "收入（元）",
            "合理成本（元）",
            "净收益（元）",
        ],
        &rows,
    );
    b.heading("二、净收益去向");
    let items: Vec<String> = ALLOCATIONS
        .iter()
        .enumerate()
        .map(|(a, name)| {
            let net: i64 = ctx
                .revenue
                .iter()
                .filter(|r| r.alloc == a && r.date.year() == year)
                .map(|r| r.gross - r.costs)
                .sum();
            format!("{name}：{} 元", yuan(net))
        })
        .collect();
    b.list(&items);
    let idx = (year - ctx.c.first_year) as usize;
    b.gap();
    b.line(&format!(
        "截至{year}年12月31日，专项维修资金账户结存 {} 元。",
        yuan(ctx.year_ends[idx])
    ));
    b.para(3);
    let target = target_len(rng);
    let body = b.finish(rng, target, date, true);
    let title = format!("{year}年度公共收益收支情况公示");
    (
        date,
        format!("revenue-{year}"),
        notice_file(&title, date, "公告", &body),
    )
}

fn minutes(rng: &mut Rng, ctx: &Ctx, year: i32) -> (Date, String, String) {
    let month = rng.range(2, 11) as u32;
    let date = Date::ymd(year, month, rng.range(5, 25) as u32);
    let mut b = Body::new(
        rng,
        ctx,
        year,
        &[Topic::Meeting, Topic::Fees, Topic::Revenue],
    );
    let present: Vec<String> = ctx
        .c
        .members
        .iter()
        .map(|(role, name)| format!("{name}（{role}）"))
        .collect();
    b.list(&[
        format!("时间：{} 19:00", date.zh()),
        "地点：物业服务中心二楼会议室".to_string(),
        format!("出席：{}", present.join("、")),
        format!("列席：{}居委会、{}", ctx.c.community, ctx.c.company),
    ]);
    b.heading("一、会议议题");
    b.numbered(3);
    b.closing = "本纪要经与会委员签字确认，原件存业委会办公室备查。";
    b.heading("二、讨论与决定");
    b.para(3);
    b.para(2);
    let target = target_len(rng);
    let body = b.finish(rng, target, date, false);
    let title = format!("{year}年{month}月业委会例会会议纪要");
    (
        date,
        "minutes".to_string(),
        notice_file(&title, date, "会议纪要", &body),
    )
}

fn everyday(rng: &mut Rng, ctx: &Ctx, year: i32) -> (Date, String, String) {
    const SUBJECTS: &[(&str, &str, Topic)] = &[
        ("parking", "关于规范小区停车管理的通知", Topic::Parking),
        (
            "elevator-safety",
            "关于电梯安全使用的温馨提示",
            Topic::Elevator,
        ),
        (
            "clubhouse-open",
            "关于会所开放时间及使用规则的通知",
            Topic::Clubhouse,
        ),
        ("fees-reminder", "关于按时缴纳物业费的通知", Topic::Fees),
        ("fund-topup", "关于专项维修资金续筹的通知", Topic::Fund),
    ];
    let (slug, title, topic) = *rng.pick(SUBJECTS);
    let date = Date::ymd(year, rng.range(1, 12) as u32, rng.range(1, 28) as u32);
    let mut b = Body::new(rng, ctx, year, &[topic]);
    b.line("各位业主：");
    b.para(3);
    b.heading("具体事项");
    b.numbered(4);
    b.heading("有关说明");
    b.para(3);
    let target = target_len(rng);
    let body = b.finish(rng, target, date, false);
    (
        date,
        slug.to_string(),
        notice_file(title, date, "公告", &body),
    )
}
