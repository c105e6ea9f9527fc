import type { Fact, ShipmentInput } from '../../lib/events/types';
import type { Express } from '../../lib/order-center/types';
import { fact, placed, refundRequested, refundUpdated, snapshot, viewOf } from './builders';

/**
 * docs/contract.md section 4: the latest shipment with a carrier is the Type 1 parcel, the latest refund
 * returnShipment the Type 2 one; Name from the merchant, else the known code table, else the code.
 */
const shipped = (occurredAt: number, shipment: ShipmentInput, eventId?: string): Fact =>
  fact('shipped', occurredAt, {
    shipment: { shippedAt: occurredAt, ...shipment },
    ...(eventId ? { eventId } : {}),
  });

const express = (Code: string, ID: string, Name: string, Type: 1 | 2 = 1): Express => ({
  Code,
  ID,
  Name,
  Status: 0,
  Type,
});

describe('the parcels of an order', () => {
  it.each<[string, Fact[], Express[]]>([
    ['none before it ships', [placed(100)], []],
    ['none for a shipment without a carrier', [placed(100), shipped(200, {})], []],
    [
      'none for a first-release carrier without a tracking number',
      [placed(100), shipped(200, { carrier: 'SFEXPRESS' })],
      [],
    ],
    [
      "the known code's name when the merchant gives none",
      [placed(100), shipped(200, { carrier: 'SFEXPRESS', trackingNo: 'SF1234567890' })],
      [express('SFEXPRESS', 'SF1234567890', '顺丰速运')],
    ],
    [
      "the merchant's name before the table's",
      [placed(100), shipped(200, { carrier: 'SFEXPRESS', carrierName: '顺丰', trackingNo: 'SF1' })],
      [express('SFEXPRESS', 'SF1', '顺丰')],
    ],
    [
      'an unknown code as its own name, sent as given (Baidu decides)',
      [placed(100), shipped(200, { carrier: 'ZJS', trackingNo: 'Z1' })],
      [express('ZJS', 'Z1', 'ZJS')],
    ],
    [
      'the later of two shipments (a re-shipment, a correction), whatever order they came in',
      [
        shipped(300, { carrier: 'EMS', trackingNo: 'E2' }, 'ship-2'),
        placed(100),
        shipped(200, { carrier: 'SFEXPRESS', trackingNo: 'SF1' }, 'ship-1'),
      ],
      [express('EMS', 'E2', 'EMS')],
    ],
    [
      'the earlier carrier when a later shipped event names none',
      [placed(100), shipped(200, { carrier: 'JD', trackingNo: 'JD1' }), shipped(300, {})],
      [express('JD', 'JD1', '京东物流')],
    ],
    [
      "the buyer's return after the shipment",
      [
        placed(100),
        shipped(200, { carrier: 'SFEXPRESS', trackingNo: 'SF1' }),
        refundRequested(300, { type: 'return-and-refund' }),
        refundUpdated(400, {
          id: 'R1',
          status: 'processing',
          returnShipment: { carrier: 'YTO', trackingNo: 'YT1' },
        }),
      ],
      [express('SFEXPRESS', 'SF1', '顺丰速运'), express('YTO', 'YT1', '圆通速递', 2)],
    ],
    [
      'a return given with the request, replaced by a later one',
      [
        placed(100),
        refundRequested(300, { returnShipment: { carrier: 'YTO', trackingNo: 'YT1' } }),
        refundUpdated(400, {
          id: 'R1',
          status: 'processing',
          returnShipment: { carrier: 'ZTO', carrierName: '中通', trackingNo: 'ZT2' },
        }),
      ],
      [express('ZTO', 'ZT2', '中通', 2)],
    ],
    [
      'no return for an after-sale order nobody requested (an anomaly)',
      [
        placed(100),
        refundUpdated(400, {
          id: 'R9',
          status: 'processing',
          returnShipment: { carrier: 'YTO', trackingNo: 'Y' },
        }),
      ],
      [],
    ],
    [
      'none for a virtual order, whatever the facts carry',
      [
        placed(100, snapshot({ category: 'virtual' })),
        shipped(200, { carrier: 'SFEXPRESS', trackingNo: 'SF1' }),
      ],
      [],
    ],
  ])('%s', (_case, facts, expected) => {
    // Act
    const view = viewOf(facts);

    // Assess
    expect(view.logistics.map((parcel) => parcel.express)).toEqual(expected);
  });

  it('names the fact that set each parcel, for the report', () => {
    // Act
    const view = viewOf([
      placed(100),
      shipped(200, { carrier: 'SFEXPRESS', trackingNo: 'SF1' }, 'ship-1'),
      shipped(300, { carrier: 'SFEXPRESS', trackingNo: 'SF2' }, 'ship-2'),
    ]);

    // Assess
    expect(view.logistics.map((parcel) => parcel.eventId)).toEqual(['ship-2']);
  });

  it('changes nothing else in the view: no call but add/main/logistics carries a parcel', () => {
    // Prepare
    const plain = [placed(100), shipped(200, {})];
    const withParcel = [placed(100), shipped(200, { carrier: 'SFEXPRESS', trackingNo: 'SF1' })];

    // Act & Assess
    expect(viewOf(withParcel).data).toEqual(viewOf(plain).data);
  });
});
