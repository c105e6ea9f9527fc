/**
 * Baidu's carrier codes (Express.Code) with the names 百度App shows, from docs/contract.md section 8. Baidu
 * validates the code; its published table is longer, so a code missing here is still sent as given (and
 * Baidu's refusal of it fails the logistics step alone). The table only fills Express.Name when the
 * merchant gives none.
 */
export const KNOWN_CARRIERS: Readonly<Record<string, string>> = {
  SFEXPRESS: '顺丰速运',
  STO: '申通快递',
  YTO: '圆通速递',
  ZTO: '中通快递',
  HTKY: '百世快递',
  YUNDA: '韵达快递',
  JD: '京东物流',
  EMS: 'EMS',
  ZTO56: '中通快运',
  DEPPON: '德邦快递',
  KYEXPRESS: '跨越速运',
  BSKY: '百世快运',
  ANE: '安能物流',
  JIAJI: '佳吉快运',
  KERRY: '嘉里物流',
  DHL: 'DHL',
  FEDEXIN: 'FedEx国际',
  UPS: 'UPS',
  TNT: 'TNT',
  ARAMEX: 'Aramex',
};

/** Express.Name for a carrier: the merchant's name, else the known code's, else the code itself. */
export function carrierName(code: string, given?: string): string {
  if (given !== undefined && given.trim() !== '') return given;
  return Object.hasOwn(KNOWN_CARRIERS, code) ? (KNOWN_CARRIERS[code] as string) : code;
}
