/**
 * Logistics are for goods: a carrier on a virtual order is a 422 naming the field (CONTRACT section 4),
 * checked by the parser when the event brings the snapshot, by intake against the ledger when it does
 * not. Its own module: intake must not load the parser's schemas to say it.
 */
export const VIRTUAL_CARRIER_MESSAGE =
  'must not be given for a virtual order (order.category "virtual"): logistics are for physical goods';
