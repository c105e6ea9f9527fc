import { validateCallBody } from '../../lib/order-center/schemas';
import type { OrderCenterCall, OrderData } from '../../lib/order-center/types';
import {
  addMainInfoBody,
  addMainLogisticsBody,
  appendSubInfoBody,
  updateMainInfoBody,
  updateMainStatusBody,
  updateSubInfoBody,
  updateSubStatusBody,
} from '../../lib/projection';

/**
 * docs/contract.md section 8's table, transcribed: the fields of each call's Data item, from the official SDKs'
 * request structs (baidu/smartapp-openapi-go openapi/addOrderInfo.go, updateOrderInfo.go,
 * updateOrderStatus.go, addOrderSubInfo.go, updateOrderSubInfo.go, updateOrderSubStatus.go,
 * submitOrderLogistics.go). `[]` marks
 * an array's items. The main order's content (EXT.MainOrder) and a DetailPage are the page's structures,
 * the same in every call that carries them, so they count as one field here.
 */
const SUB_ITEM = [
  'SubOrderID',
  'SubStatus',
  'CTime',
  'MTime',
  'OrderType',
  'OrderDetail',
  'Refund.Amount',
  'Refund.Product[].ID',
  'Refund.Product[].Quantity',
  'Refund.Product[].Amount',
].map((field) => `EXT.SubsOrder.Items[].${field}`);
const KEY = ['BizAPPID', 'CateID', 'ResourceID'];

const FIELDS: Readonly<Record<OrderCenterCall, readonly string[]>> = {
  'add/main/info': [
    ...KEY,
    'Title',
    'Ctime',
    'Mtime',
    'Status',
    'EXT.MainOrder',
    'EXT.SubsOrder.Status',
    ...SUB_ITEM,
  ],
  'update/main/info': [...KEY, 'Status', 'EXT.MainOrder'],
  'update/main/status': [...KEY, 'Status'],
  'append/sub/info': [...KEY, 'EXT.SubsOrder.Status', ...SUB_ITEM],
  'update/sub/info': [...KEY, 'EXT.SubsOrder.Status', ...SUB_ITEM],
  'update/sub/status': [
    ...KEY,
    'EXT.SubsOrder.Status',
    'EXT.SubsOrder.Items[].SubOrderID',
    'EXT.SubsOrder.Items[].SubStatus',
  ],
  'add/main/logistics': [
    ...KEY,
    'EXT.MainOrder.Express.Code',
    'EXT.MainOrder.Express.ID',
    'EXT.MainOrder.Express.Name',
    'EXT.MainOrder.Express.Status',
    'EXT.MainOrder.Express.Type',
  ],
};

/** Counted as one field: their inside is the same structure wherever they go. */
const WHOLE = new Set(['EXT.MainOrder', 'EXT.SubsOrder.Items[].OrderDetail']);

/** Every path to a value in `value`, array indices as `[]`, stopping at the WHOLE ones. */
function paths(value: unknown, at = ''): string[] {
  // add/main/logistics's MainOrder holds only the parcel: its fields are the call's, not the main order's
  const express = typeof value === 'object' && value !== null && 'Express' in value;
  if (WHOLE.has(at) && !express) return [at];
  if (Array.isArray(value)) return value.flatMap((item) => paths(item, `${at}[]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, inner]) => paths(inner, at ? `${at}.${key}` : key));
  }
  return [at];
}

/** An order with every optional field set, so that a field a builder drops cannot go unnoticed. */
const ORDER: OrderData = {
  ResourceID: 'fields-1',
  BizAPPID: 'app-key',
  CateID: 1,
  Title: '四川大凉山丑苹果 礼盒',
  Ctime: 1764316000,
  Mtime: 1764331000,
  Status: 6,
  EXT: {
    MainOrder: {
      Products: [
        {
          ID: 'P1',
          Name: '丑苹果',
          Desc: '5斤',
          Quantity: 1,
          Price: 2390,
          PayPrice: 2190,
          ImgList: ['https://img.example/p1.jpg'],
          DetailPage: { Status: 2, SwanSchema: '/pages/item?id=P1' },
          SkuAttr: [{ Name: '规格', Value: '5斤' }],
        },
      ],
      Payment: {
        Method: 1,
        Amount: 2490,
        IsPayment: true,
        Time: 1764317000,
        PaymentInfo: [{ Name: '运费', Value: 800, Quantity: 1 }],
        PreferentialInfo: [{ Name: '优惠券使用', Value: 500, Quantity: 1 }],
      },
      Appraise: { Status: 0 },
      OrderDetail: { Status: 2, SwanSchema: '/pages/order?id=fields-1' },
    },
    SubsOrder: {
      Status: 401,
      Items: [
        {
          SubOrderID: 'as-1',
          SubStatus: 401,
          CTime: 1764320000,
          MTime: 1764331000,
          OrderType: 3,
          OrderDetail: { Status: 2, SwanSchema: '/pages/aftersale?id=as-1' },
          Refund: { Amount: 2190, Product: [{ ID: 'P1', Quantity: 1, Amount: 2190 }] },
        },
      ],
    },
  },
};

const BUILT: Readonly<Record<OrderCenterCall, () => { Data: unknown[] }>> = {
  'add/main/info': () => addMainInfoBody(ORDER),
  'update/main/info': () => updateMainInfoBody([ORDER]),
  'update/main/status': () => updateMainStatusBody([ORDER]),
  'append/sub/info': () => appendSubInfoBody(ORDER, ['as-1']),
  'update/sub/info': () => updateSubInfoBody(ORDER, ['as-1']),
  'update/sub/status': () => updateSubStatusBody(ORDER, ['as-1']),
  'add/main/logistics': () =>
    addMainLogisticsBody(ORDER, {
      Code: 'SFEXPRESS',
      ID: 'SF1234567890',
      Name: '顺丰速运',
      Status: 0,
      Type: 1,
    }),
};

describe("each call's Data item carries exactly docs/contract.md section 8's fields", () => {
  it.each(Object.keys(FIELDS) as OrderCenterCall[])('%s', (call) => {
    // Act
    const body = BUILT[call]();

    // Assess
    expect(Object.keys(body)).toEqual(['Data']);
    expect(body.Data).toHaveLength(1);
    expect([...new Set(paths(body.Data[0]))].sort()).toEqual([...FIELDS[call]].sort());
    expect(validateCallBody(call, body)).toEqual([]);
  });

  it('would notice a field added or dropped', () => {
    // Prepare
    const withMtime = { ...updateMainStatusBody([ORDER]).Data[0], Mtime: ORDER.Mtime };
    const { Title: _title, ...withoutTitle } = addMainInfoBody(ORDER).Data[0];

    // Assess
    expect(paths(withMtime).sort()).not.toEqual([...FIELDS['update/main/status']].sort());
    expect(paths(withoutTitle).sort()).not.toEqual([...FIELDS['add/main/info']].sort());
  });
});
