import type { DetailPageInput, OrderItemInput, OrderSnapshot } from '../../lib/events/types';
import type { DetailPage, MainOrder, Product } from '../../lib/order-center/types';
import { toDetailPage } from '../../lib/projection';
import { placed, snapshot, viewOf } from './builders';

describe('toDetailPage()', () => {
  it.each<[string, DetailPageInput, DetailPage]>([
    ['nothing', {}, {}],
    ['hidden', { status: 'hidden' }, { Status: 0 }],
    ['shown', { status: 'shown' }, { Status: 1 }],
    ['linked', { status: 'linked' }, { Status: 2 }],
    [
      'every field',
      {
        status: 'linked',
        name: 'Detail',
        h5: 'https://h5',
        swan: 'swan://s',
        iphone: 'ios://i',
        android: 'android://a',
      },
      {
        Status: 2,
        Name: 'Detail',
        H5Schema: 'https://h5',
        SwanSchema: 'swan://s',
        IPhoneSchema: 'ios://i',
        AndroidSchema: 'android://a',
      },
    ],
    ['empty strings, kept as given', { name: '', h5: '' }, { Name: '', H5Schema: '' }],
    [
      'some fields only',
      { swan: 'swan://s', android: 'android://a' },
      { SwanSchema: 'swan://s', AndroidSchema: 'android://a' },
    ],
  ])('maps %s', (_name, input, expected) => {
    // Act
    const page = toDetailPage(input);

    // Assess
    expect(page).toStrictEqual(expected);
  });
});

describe('main order detail pages', () => {
  it.each<[string, Partial<OrderSnapshot>, Pick<MainOrder, 'OrderDetail' | 'Appraise'>]>([
    ['neither', {}, {}],
    [
      'detail -> OrderDetail',
      { detail: { status: 'linked', swan: 'swan://d' } },
      { OrderDetail: { Status: 2, SwanSchema: 'swan://d' } },
    ],
    [
      'appraise -> Appraise',
      { appraise: { status: 'shown', name: '评价' } },
      { Appraise: { Status: 1, Name: '评价' } },
    ],
  ])('%s', (_name, overrides, expected) => {
    // Act
    const {
      Products: _products,
      Payment: _payment,
      ...pages
    } = viewOf([placed(100, snapshot(overrides))]).data.EXT.MainOrder;

    // Assess
    expect(pages).toStrictEqual(expected);
  });
});

describe('products', () => {
  const bare: OrderItemInput = { id: 'P1', name: 'Apple', quantity: 2, price: 1200, payPrice: 1000 };

  it.each<[string, OrderItemInput, Product]>([
    ['the required fields only', bare, { ID: 'P1', Name: 'Apple', Quantity: 2, Price: 1200, PayPrice: 1000 }],
    [
      'every field',
      {
        ...bare,
        description: 'Red',
        images: ['https://img/1.jpg', 'https://img/2.jpg'],
        sku: [
          { name: '颜色', value: 'Red' },
          { name: '尺寸', value: 'L' },
        ],
        detail: { status: 'linked', h5: 'https://p1' },
      },
      {
        ID: 'P1',
        Name: 'Apple',
        Desc: 'Red',
        Quantity: 2,
        Price: 1200,
        PayPrice: 1000,
        ImgList: ['https://img/1.jpg', 'https://img/2.jpg'],
        SkuAttr: [
          { Name: '颜色', Value: 'Red' },
          { Name: '尺寸', Value: 'L' },
        ],
        DetailPage: { Status: 2, H5Schema: 'https://p1' },
      },
    ],
    [
      'empty images and sku, left out',
      { ...bare, images: [], sku: [] },
      { ID: 'P1', Name: 'Apple', Quantity: 2, Price: 1200, PayPrice: 1000 },
    ],
  ])('maps an item with %s', (_name, item, expected) => {
    // Act
    const products = viewOf([placed(100, snapshot({ items: [item] }))]).data.EXT.MainOrder.Products;

    // Assess
    expect(products).toStrictEqual([expected]);
  });

  it('keeps the snapshot order of items and does not share its arrays', () => {
    // Prepare
    const images = ['https://img/1.jpg'];
    const order = snapshot({
      items: [
        { ...bare, id: 'B', images },
        { ...bare, id: 'A' },
      ],
    });

    // Act
    const products = viewOf([placed(100, order)]).data.EXT.MainOrder.Products;

    // Assess
    expect(products.map((p) => p.ID)).toEqual(['B', 'A']);
    expect(products[0].ImgList).not.toBe(images);
  });
});
