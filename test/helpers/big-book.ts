/**
 * A generated customer book as a sales team's sheet would hold it, at any size (100,000 for the
 * Slack bot's tests and benchmark): business names from a few word lists (so names repeat words the
 * way real ones do: thousands of "… Bakery"), Chinese names for one customer in six, 40 owners, and
 * a handful of planted customers that tests and benchmarks look up. Seeded: every run draws the same.
 */

/** mulberry32, the same generator the benchmarks use. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = (
  'Smith Jones Müller Schmidt García Martínez Rossi Bianchi Dubois Martin Novak Kowalski Nielsen ' +
  'Johansson Silva Santos Kim Park Tanaka Suzuki Nguyen Tran Patel Shah Cohen Levi Murphy Kelly ' +
  "O'Brien Walsh Fischer Weber Meyer Wagner Becker Hoffmann Moreau Laurent Ricci Greco Costa Ferreira " +
  'Andersen Hansen Larsen Berg Lindqvist Virtanen Horváth Nagy Popescu Ionescu Yilmaz Demir Ivanov Petrov'
).split(' ');
const TRADES = (
  'Bakery|Hardware|Trading|Logistics|Consulting|Pharmacy|Motors|Textiles|Foods|Electronics|Print Shop|' +
  'Garden Centre|Dental Care|Auto Parts|Bookshop|Coffee Roasters|Furniture|Optics|Opticians|Plumbing|' +
  'Catering|Brewery|Wine Merchants|Florist|Pet Supplies|Bike Shop|Tailors|Jewellers|Stationers|Studio'
).split('|');
const PLACES = (
  'London|Berlin|Paris|Madrid|Rome|Lisbon|Dublin|Vienna|Prague|Warsaw|Oslo|Stockholm|Helsinki|Athens|' +
  'Hamburg|Munich|Lyon|Porto|Milan|Zürich|Geneva|Brussels|Antwerp|Rotterdam|Kraków|Budapest|Seoul|Tokyo|' +
  'Osaka|Austin|Denver|Boston|Toronto|Montréal|Sydney'
).split('|');
const SUFFIXES = ['', '', '', ' Ltd', ' GmbH', ' & Sons', ' S.A.', ' Co.', ' Inc.', ' & Partners'];
const CN_CITIES = '北京 上海 广州 深圳 杭州 南京 成都 武汉 西安 苏州 天津 重庆 青岛 厦门'.split(' ');
const CN_WORDS = '永安 华兴 长城 东方 新世纪 金鼎 恒通 瑞丰 宏达 信诚 广源 福星 鸿运 嘉禾 启航 天成'.split(
  ' ',
);
const CN_TRADES = '贸易 商行 科技 食品 建材 服饰 电子 物流 餐饮 药房 文具 家具'.split(' ');
const OWNERS = Array.from({ length: 38 }, (_, k) => `rep${k}`).concat(['ana', 'bo']);

/** Customers every generated book holds, at fixed positions (scaled into small books). */
export const PLANTED = [
  { at: 0.137, id: 'C-PLANT-1', name: 'Zephyrine Orchard Supplies', owner: 'ana' },
  { at: 0.511, id: 'C-PLANT-2', name: '上海明华贸易有限公司', owner: 'bo' },
  { at: 0.734, id: 'C-PLANT-3', name: 'Quillfeather Bindery & Co', owner: 'ana' },
  { at: 0.902, id: 'C-PLANT-4', name: '<!channel> Mischief Makers', owner: '<!here>' },
] as const;

export const BIG_BOOK_HEADER = [
  'customer_id',
  'name',
  'owner',
  'last_purchase',
  'first_purchase',
  'orders',
  'total_spend',
];

/** The customer's book row: id, name, owner, dates (as of `asOf`), orders, spend. */
export function bigBookRows(n: number, asOf = '2024-06-30', seed = 8): string[][] {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const end = Date.parse(`${asOf}T00:00:00Z`) / 86_400_000;
  const day = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
  const planted = new Map<number, (typeof PLANTED)[number]>(PLANTED.map((p) => [Math.floor(p.at * n), p]));
  const rows: string[][] = [BIG_BOOK_HEADER];
  for (let i = 0; i < n; i++) {
    const last = end - Math.floor(random() ** 2 * 400);
    const first = last - Math.floor(random() * 900);
    const orders = 1 + Math.floor(random() ** 3 * 60);
    const spend = (orders * (20 + random() * 400)).toFixed(2);
    const special = planted.get(i);
    const name = special
      ? special.name
      : random() < 1 / 6
        ? `${pick(CN_CITIES)}${pick(CN_WORDS)}${pick(CN_TRADES)}`
        : `${pick(SURNAMES)} ${pick(TRADES)}${random() < 0.6 ? ` ${pick(PLACES)}` : ''}${pick(SUFFIXES)}`;
    rows.push([
      special ? special.id : `C${String(i).padStart(6, '0')}`,
      name,
      special ? special.owner : pick(OWNERS),
      day(last),
      day(first),
      String(orders),
      spend,
    ]);
  }
  return rows;
}
