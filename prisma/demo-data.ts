// Reference lists for the demo city (Baoji, Shaanxi): communities, names, conditions and medicines.
// Pure data; prisma/seed.ts draws from these lists with a seeded PRNG.

export interface DemoCommunity {
  name: string;
  district: string;
  /** Approximate centre of the community (WGS84). */
  lat: number;
  lng: number;
  /** Relative size: share of the residents that live here. */
  weight: number;
}

/** Neighbourhoods along the Wei river, west to east. Coordinates are plausible, not surveyed. */
export const COMMUNITIES: readonly DemoCommunity[] = [
  { name: "西关社区", district: "金台区", lat: 34.3668, lng: 107.1402, weight: 1.0 },
  { name: "清姜路社区", district: "渭滨区", lat: 34.3521, lng: 107.1448, weight: 1.1 },
  { name: "经二路社区", district: "渭滨区", lat: 34.3602, lng: 107.1496, weight: 1.3 },
  { name: "金台观社区", district: "金台区", lat: 34.3741, lng: 107.1533, weight: 0.8 },
  { name: "东风路社区", district: "金台区", lat: 34.3689, lng: 107.1627, weight: 1.2 },
  { name: "石坝河社区", district: "渭滨区", lat: 34.3537, lng: 107.1782, weight: 0.9 },
  { name: "十里铺社区", district: "金台区", lat: 34.3641, lng: 107.2046, weight: 1.0 },
  { name: "卧龙寺社区", district: "陈仓区", lat: 34.3586, lng: 107.2452, weight: 0.8 },
];

/** Splits a whitespace-separated list (keeps long name lists compact). */
function words(list: string): readonly string[] {
  return list.split(/\s+/).filter((w) => w.length > 0);
}

/** Centre used by sanity checks (the demo city lies within 0.1° of it). */
export const BAOJI_CENTRE = { lat: 34.362, lng: 107.19 } as const;

/** Common surnames, roughly by frequency in Shaanxi (repeats raise the weight). */
export const SURNAMES: readonly string[] = words(`
  王 王 王 李 李 李 张 张 张 刘 刘 杨 杨 赵 赵 陈 马 马 高 郭 何 周 吴 孙 徐 胡 朱 冯 董 雷 任 贾 魏 薛 田
  杜 秦 强 党 袁 姚 曹 梁 宋 韩 苏 白 史
`);

/** Given names typical of people born 1925–1958. */
export const ELDER_GIVEN_MALE: readonly string[] = words(`
  建国 国强 志刚 德明 振华 保国 卫东 长生 福贵 建华 文斌 宝成 忠厚 守仁 玉田 树林 永福 占魁 金生 天佑 世杰 有才 广汉
  进财 兴旺 炳南 秉义 自强 新民 铁柱
`);
export const ELDER_GIVEN_FEMALE: readonly string[] = words(`
  秀英 桂兰 玉兰 淑珍 凤英 秀兰 桂芳 翠花 玉梅 兰英 素珍 春花 桂香 淑芬 秀珍 凤兰 金凤 玉珍 彩霞 月娥 巧云 银花 改琴
  粉琴 慧芳 腊梅 冬梅 菊英 爱莲 瑞芳
`);

/** Given names of the younger generation: children of residents, caregivers, volunteers, staff. */
export const YOUNGER_GIVEN_MALE: readonly string[] = words(`
  伟 强 磊 军 勇 涛 斌 超 鹏 杰 浩 宇 建军 海涛 晓东 文博 志强 红军 小龙 国平 亚军 宏伟 振宇 晨阳
`);
export const YOUNGER_GIVEN_FEMALE: readonly string[] = words(`
  丽 娟 敏 静 芳 燕 霞 艳 丽娟 红梅 晓燕 小红 海燕 秀丽 雪梅 彩虹 丹 婷 亚萍 春燕 玉洁 文静 琳 瑶
`);

/** Mobile number prefixes of the three carriers. */
export const PHONE_PREFIXES: readonly string[] = words(`
  133 135 136 137 138 139 150 151 152 153 155 157 158 159 173 177 180
  181 183 186 187 189 191 199
`);

/**
 * Chronic conditions, how common they are, and the usual regimens (one is drawn per resident, so
 * nobody gets two drugs of the same class).
 */
export interface Condition {
  name: string;
  /** Probability that an enrolled elderly resident has it. */
  prevalence: number;
  regimens: readonly (readonly string[])[];
}

export const CONDITIONS: readonly Condition[] = [
  {
    name: "高血压",
    prevalence: 0.55,
    regimens: [
      ["硝苯地平缓释片"],
      ["氨氯地平"],
      ["缬沙坦"],
      ["氨氯地平", "缬沙坦"],
      ["硝苯地平缓释片", "美托洛尔"],
    ],
  },
  {
    name: "糖尿病",
    prevalence: 0.22,
    regimens: [["二甲双胍"], ["二甲双胍", "格列美脲"], ["二甲双胍", "阿卡波糖"], ["胰岛素注射液"]],
  },
  {
    name: "冠心病",
    prevalence: 0.18,
    regimens: [
      ["阿司匹林肠溶片", "阿托伐他汀"],
      ["阿司匹林肠溶片", "阿托伐他汀", "单硝酸异山梨酯"],
    ],
  },
  {
    name: "脑卒中后遗症",
    prevalence: 0.08,
    regimens: [
      ["阿司匹林肠溶片", "阿托伐他汀"],
      ["氯吡格雷", "阿托伐他汀"],
    ],
  },
  { name: "阿尔茨海默病", prevalence: 0.06, regimens: [["多奈哌齐"], ["美金刚"], ["多奈哌齐", "美金刚"]] },
  { name: "骨质疏松", prevalence: 0.2, regimens: [["碳酸钙D3片"], ["碳酸钙D3片", "阿仑膦酸钠"]] },
  {
    name: "慢性阻塞性肺疾病(COPD)",
    prevalence: 0.09,
    regimens: [["噻托溴铵吸入剂"], ["沙美特罗替卡松吸入剂"], ["噻托溴铵吸入剂", "沙美特罗替卡松吸入剂"]],
  },
  { name: "帕金森病", prevalence: 0.03, regimens: [["多巴丝肼"]] },
  { name: "骨关节炎", prevalence: 0.15, regimens: [["氨基葡萄糖"], ["塞来昔布"], []] },
  { name: "白内障", prevalence: 0.1, regimens: [[]] },
];

/** Conditions that usually lie behind 失能 (loss of self-care). */
export const DISABLING_CONDITIONS: readonly string[] = ["脑卒中后遗症", "阿尔茨海默病", "帕金森病"];

export const CHILD_RELATIONS = { male: ["儿子", "女婿", "孙子"], female: ["女儿", "儿媳", "孙女"] } as const;
